namespace Bandits.Dashboard.Tests;

/// <summary>
/// One real server (SQLite in a temporary directory, the test keys) and one headless Chromium,
/// shared by the dashboard tests; each test opens its own browser context.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium: Playwright's own browser download is not used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The server's SQLite database lives here.</summary>
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("bandits-dashboard-").FullName;
    private IPlaywright? playwright;

    public ServerProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots are saved: a folder of the test output.</summary>
    public string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (./build.sh test does as root).");
        Server = ServerProcess.Create(DataDirectory, settings: new Dictionary<string, string>(ServerSettings.Fast));
        await Server.StartAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
