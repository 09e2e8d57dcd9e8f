using static Microsoft.Playwright.Assertions;

namespace Bandits.Dashboard.Tests;

/// <summary>The experiments page: pages of the experiments, and the search box that narrows them on the server.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ExperimentsPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task TheSearchBoxFindsAnExperiment()
    {
        var rates = new Dictionary<string, double> { ["control"] = 0.2, ["blue"] = 0.6 };
        string wanted = await Experiments.CreateAsync(fixture.Server, "search", rates, decisions: 20);
        string other = await Experiments.CreateAsync(fixture.Server, "other", rates, decisions: 20);

        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Analyst);
        ILocator rows = tab.Page.Locator("table[data-table=experiments] tbody tr");
        await Expect(tab.Page.Locator($"tr[data-experiment='{other}']")).ToBeVisibleAsync();

        await tab.Page.GetByLabel("Search").FillAsync(wanted[..12]);
        await Expect(rows).ToHaveCountAsync(1);
        ILocator row = tab.Page.Locator($"tr[data-experiment='{wanted}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("2"); // arms
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("20"); // decisions

        await row.GetByRole(AriaRole.Link, new() { Name = wanted }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = wanted, Level = 1 })).ToBeVisibleAsync();
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task ThePagePagesThroughMoreExperimentsThanItShowsAndCountsThem()
    {
        string prefix = Http.NewId("paged")[..16];
        HttpClient admin = fixture.Server.Client();
        for (int i = 0; i < 51; i++) (await admin.PutExperiment($"{prefix}-{i:D2}", new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();

        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Analyst);
        ILocator rows = tab.Page.Locator("table[data-table=experiments] tbody tr");
        await tab.Page.GetByLabel("Search").FillAsync(prefix);

        await Expect(tab.Page.GetByText("51 experiments match")).ToBeVisibleAsync();
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(rows.First).ToHaveAttributeAsync("data-experiment", $"{prefix}-00");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-experiment", $"{prefix}-50");
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Next" })).ToBeDisabledAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Previous" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(50);
        tab.AssertNoErrors();
    }
}
