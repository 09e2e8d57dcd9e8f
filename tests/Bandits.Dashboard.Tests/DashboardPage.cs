namespace Bandits.Dashboard.Tests;

/// <summary>
/// A browser tab on the dashboard at a given size, collecting the console's errors and the
/// page's uncaught exceptions so that every test can say there were none.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    public static readonly (int Width, int Height) Desktop = (1280, 800);
    public static readonly (int Width, int Height) Phone = (390, 844);

    private readonly IBrowserContext context;
    private readonly List<string> errors = [];

    private DashboardPage(IBrowserContext context, IPage page, Uri server)
    {
        (this.context, Page, Server) = (context, page, server);
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add($"console: {message.Text}"); };
        page.PageError += (_, error) => { lock (errors) errors.Add($"page error: {error}"); };
    }

    public IPage Page { get; }

    public Uri Server { get; }

    public IReadOnlyList<string> Errors
    {
        get { lock (errors) return [.. errors]; }
    }

    /// <param name="server">Another server than the fixture's.</param>
    public static async Task<DashboardPage> OpenAsync(DashboardFixture fixture, (int Width, int Height)? size = null, ServerProcess? server = null)
    {
        (int width, int height) = size ?? Desktop;
        Uri address = (server ?? fixture.Server).BaseAddress;
        IBrowserContext context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        return new DashboardPage(context, await context.NewPageAsync(), address);
    }

    /// <summary>Signs in from the sign-in page and waits for the experiments page.</summary>
    public async Task SignInAsync(string key)
    {
        await Page.GotoAsync("/sign-in");
        await Page.GetByLabel("API key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Experiments", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Opens an experiment's page and waits until its table is drawn.</summary>
    public async Task OpenExperimentAsync(string id)
    {
        await Page.GotoAsync($"/experiments/{id}");
        await Assertions.Expect(Page.Locator("table[data-table=arms]")).ToBeVisibleAsync();
    }

    public ILocator ArmCell(string arm, string field) => Page.Locator($"table[data-table=arms] tr[data-arm='{arm}'] td[data-field='{field}']");

    /// <summary>A full-page PNG and the page's HTML beside it, to see what was drawn.</summary>
    public async Task ScreenshotAsync(string folder, string name)
    {
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        await File.WriteAllTextAsync(Path.Combine(folder, name + ".html"), await Page.ContentAsync());
    }

    public void AssertNoErrors() => Assert.True(Errors.Count == 0, "The browser reported errors:\n" + string.Join("\n", Errors));

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
