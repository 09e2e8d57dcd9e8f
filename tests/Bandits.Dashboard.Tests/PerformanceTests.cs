using System.Diagnostics;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bandits.Dashboard.Tests;

/// <summary>The experiment page with the 30-day range, by the hour, drawn within a second.</summary>
[Collection(DashboardCollection.Name)]
public sealed class PerformanceTests(DashboardFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task ThirtyDaysByTheHourRenderWithinOneSecond()
    {
        string id = await Experiments.CreateAsync(fixture.Server, "month", new Dictionary<string, double> { ["control"] = 0.2, ["blue"] = 0.3, ["green"] = 0.25 });
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Analyst);
        await tab.Page.GotoAsync($"/experiments/{id}?range=30d"); // the server's first drawing of the page, not measured
        await Expect(tab.Page.Locator("figure[data-chart='mean'] .rz-chart > svg g[class*='rz-series-']")).ToHaveCountAsync(6);

        // A fresh page load: a new circuit, the statistics, 30 days of hourly history, four charts.
        var elapsed = Stopwatch.StartNew();
        await tab.Page.ReloadAsync();
        await Expect(tab.Page.GetByLabel("30 d", new() { Exact = true })).ToBeCheckedAsync();
        await Expect(tab.Page.Locator("figure[data-chart='mean'] .rz-chart > svg g[class*='rz-series-']")).ToHaveCountAsync(6);
        await Expect(tab.Page.Locator("figure[data-chart='traffic-share'] .rz-chart > svg g[class*='rz-series-']")).ToHaveCountAsync(3);
        elapsed.Stop();
        output.WriteLine($"30-day page drawn in {elapsed.ElapsedMilliseconds} ms");
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(1), $"The 30-day page took {elapsed.ElapsedMilliseconds} ms.");
        tab.AssertNoErrors();
    }
}
