using System.Globalization;
using System.Text.Json.Nodes;
using Bandits.Dashboard.Formatting;
using static Microsoft.Playwright.Assertions;

namespace Bandits.Dashboard.Tests;

/// <summary>The experiment page against the real server: its table, its charts, live updates, and the admin's actions.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ExperimentPageTests(DashboardFixture fixture)
{
    private static readonly Dictionary<string, double> Rates = new() { ["control"] = 0.2, ["blue"] = 0.5, ["green"] = 0.35 };

    [Fact]
    public async Task TheArmTableShowsWhatTheStatisticsApiSays()
    {
        string id = await Experiments.CreateAsync(fixture.Server, "table", Rates);
        using HttpClient analyst = fixture.Server.Client(TestKeys.Analyst);
        JsonNode stats = await analyst.Stats(id);

        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Analyst);
        await tab.OpenExperimentAsync(id);
        await Expect(tab.Page.Locator("table[data-table=arms] tbody tr")).ToHaveCountAsync(Rates.Count);
        foreach (JsonNode? arm in stats["arms"]!.AsArray())
        {
            string name = (string)arm!["arm"]!;
            long decisions = (long)arm["decisions"]!, rewards = (long)arm["rewards"]!;
            await Expect(tab.ArmCell(name, "decisions")).ToHaveTextAsync(Numbers.Count(decisions));
            await Expect(tab.ArmCell(name, "rewards")).ToHaveTextAsync(Numbers.Count(rewards));
            await Expect(tab.ArmCell(name, "decisions")).ToHaveAttributeAsync("data-value", decisions.ToString(CultureInfo.InvariantCulture));
            double mean = (double)arm["mean"]!, lower = (double)arm["lower"]!, upper = (double)arm["upper"]!;
            await Expect(tab.ArmCell(name, "mean")).ToHaveTextAsync($"{Numbers.Value(mean)} ({Numbers.Interval(lower, upper)})");
            await AssertValueAsync(tab.ArmCell(name, "mean"), mean);
            await Expect(tab.ArmCell(name, "probability-best")).ToHaveTextAsync(Numbers.Percent((double)arm["probabilityBest"]!));
            await AssertValueAsync(tab.ArmCell(name, "probability-best"), (double)arm["probabilityBest"]!);
            await Expect(tab.ArmCell(name, "expected-loss")).ToHaveTextAsync(Numbers.Value((double)arm["expectedLoss"]!));
            await Expect(tab.ArmCell(name, "traffic-share")).ToHaveTextAsync(Numbers.Percent((double)arm["trafficShare"]!));
        }
        JsonNode recommendation = stats["recommendation"] ?? throw new InvalidOperationException("The statistics have no recommendation.");
        await Expect(tab.Page.Locator("[data-panel=recommendation]")).ToContainTextAsync((string)recommendation["reason"]!);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task EveryChartDrawsASeriesPerArm()
    {
        string id = await Experiments.CreateAsync(fixture.Server, "charts", Rates);
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Analyst);
        await tab.OpenExperimentAsync(id);

        // One line per arm; one stacked area per arm; a band and a line per arm; one curve per arm.
        await AssertSeriesAsync(tab, "probability-best", Rates.Count);
        await AssertSeriesAsync(tab, "traffic-share", Rates.Count);
        await AssertSeriesAsync(tab, "mean", 2 * Rates.Count);
        await AssertSeriesAsync(tab, "density", Rates.Count);

        foreach (string range in new[] { "7 d", "30 d", "All", "24 h" })
        {
            await tab.Page.Locator(".range-picker label", new() { HasTextString = range }).ClickAsync();
            await Expect(tab.Page.GetByLabel(range, new() { Exact = true })).ToBeCheckedAsync();
            await AssertSeriesAsync(tab, "probability-best", Rates.Count);
        }
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task RewardsPostedThroughTheApiShowWithinThreeSeconds()
    {
        string id = await Experiments.CreateAsync(fixture.Server, "live", Rates);
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Analyst);
        await tab.OpenExperimentAsync(id);
        ILocator total = tab.Page.Locator("[data-total=rewards]");
        await Expect(total).ToHaveTextAsync("60 rewards");

        using HttpClient app = fixture.Server.Client(TestKeys.App), producer = fixture.Server.Client(TestKeys.Producer);
        var events = new List<object>();
        for (int i = 0; i < 10; i++) events.Add(new { decisionId = (string)(await app.Choose(id))["decisionId"]!, reward = 1 });
        await producer.Reward(id, events);

        await Expect(total).ToHaveTextAsync("70 rewards", new() { Timeout = 3_000 });
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task AnAdminConcludesWithAConfirmationAndTheApiSaysConcluded()
    {
        string id = await Experiments.CreateAsync(fixture.Server, "conclude", Rates);
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Admin);
        await tab.OpenExperimentAsync(id);

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Conclude…" }).ClickAsync();
        ILocator dialog = tab.Page.GetByRole(AriaRole.Dialog, new() { Name = $"Conclude {id}" });
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("green").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Conclude with green" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(tab.Page.Locator(".title-row [data-status]")).ToHaveTextAsync("concluded");

        using HttpClient analyst = fixture.Server.Client(TestKeys.Analyst);
        JsonNode stats = await analyst.Stats(id);
        Assert.Equal("concluded", (string)stats["status"]!);
        Assert.Equal("green", (string)stats["winner"]!);

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
        await Expect(tab.Page.Locator(".title-row [data-status]")).ToHaveTextAsync("running");
        Assert.Equal("running", (string)(await analyst.Stats(id))["status"]!);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task TheConfirmationCanBeCancelledWithEscape()
    {
        string id = await Experiments.CreateAsync(fixture.Server, "cancel", Rates, decisions: 10);
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Admin);
        await tab.OpenExperimentAsync(id);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Conclude…" }).ClickAsync();
        ILocator dialog = tab.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeFocusedAsync();
        await tab.Page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        using HttpClient analyst = fixture.Server.Client(TestKeys.Analyst);
        Assert.Equal("running", (string)(await analyst.Stats(id))["status"]!);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task AnAnalystSeesNoConcludeControl()
    {
        string id = await Experiments.CreateAsync(fixture.Server, "analyst", Rates, decisions: 10);
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Analyst);
        await tab.OpenExperimentAsync(id);
        await Expect(tab.Page.Locator("[data-action]")).ToHaveCountAsync(0);
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Conclude…" })).ToHaveCountAsync(0);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task AnUnknownExperimentIsSaidToBeMissing()
    {
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Analyst);
        await tab.Page.GotoAsync("/experiments/no-such-experiment");
        await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("There is no experiment no-such-experiment.");
        tab.AssertNoErrors();
    }

    /// <summary>Each series is a group of Radzen's SVG (rz-series-N) holding a drawn path.</summary>
    private static async Task AssertSeriesAsync(DashboardPage tab, string chart, int series)
    {
        ILocator figure = tab.Page.Locator($"figure[data-chart='{chart}']");
        ILocator drawn = figure.Locator(".rz-chart > svg g[class*='rz-series-']").Filter(new() { Has = tab.Page.Locator("path[d^='M']") });
        await Expect(drawn).ToHaveCountAsync(series);
    }

    private static async Task AssertValueAsync(ILocator cell, double expected)
    {
        string? value = await cell.GetAttributeAsync("data-value");
        Assert.Equal(expected, double.Parse(value!, CultureInfo.InvariantCulture), 12);
    }
}
