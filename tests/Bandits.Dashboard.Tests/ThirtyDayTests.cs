using System.Diagnostics;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bandits.Dashboard.Tests;

/// <summary>
/// The experiment page of a 30-day experiment, by the hour: every chart draws all 720 points. The
/// experiment is seeded with 30 days of log and rollups on a server of its own, restarted to load
/// them, so that its statistics and its history agree as a real experiment's do. How long the
/// page takes is a benchmark's (bench/dashboard.sh, docs/benchmarks.md), not a test's.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ThirtyDayTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Arms = ["control", "blue", "green"];

    [Fact]
    public async Task ThirtyDaysByTheHourAreAllDrawn()
    {
        string data = Directory.CreateTempSubdirectory("bandits-dashboard-month-").FullName;
        try
        {
            await using ServerProcess server = ServerProcess.Create(data);
            await server.StartAsync();
            string id = Http.NewId("month");
            using (HttpClient admin = server.Client(TestKeys.Admin)) (await admin.PutExperiment(id, new { arms = Arms })).EnsureSuccessStatusCode();
            await server.StopAsync();
            await HistorySeed.WriteAsync(id, Arms.Length, days: 30, data, withLog: true);
            await server.StartAsync();
            await DrawAsync(server, id);
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private async Task DrawAsync(ServerProcess server, string id)
    {
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture, server: server);
        await tab.SignInAsync(TestKeys.Analyst);
        var elapsed = Stopwatch.StartNew();
        await tab.Page.GotoAsync($"/experiments/{id}?range=30d");
        await ExpectDrawnAsync(tab);
        output.WriteLine($"30-day page drawn in {elapsed.ElapsedMilliseconds} ms (first load; bench/dashboard.sh measures it)");
        await tab.ScreenshotAsync(fixture.Artifacts, "experiment-30-days-desktop");
        tab.AssertNoErrors();
    }

    private static async Task ExpectDrawnAsync(DashboardPage tab)
    {
        await Expect(tab.Page.GetByLabel("30 d", new() { Exact = true })).ToBeCheckedAsync();
        // The history holds 30 days of hourly buckets (720, or 721 across an hour's turn).
        await Expect(tab.Page.Locator(".charts[data-history-points]")).ToHaveAttributeAsync("data-history-points", new System.Text.RegularExpressions.Regex("^(7[2-9][0-9]|[89][0-9]{2})$"));
        foreach ((string chart, int series) in new[] { ("probability-best", 3), ("traffic-share", 3), ("mean", 6), ("density", 3) })
        {
            await Expect(tab.Page.Locator($"figure[data-chart='{chart}'] .rz-chart > svg g[class*='rz-series-']").Filter(new() { Has = tab.Page.Locator("path[d^='M']") })).ToHaveCountAsync(series);
        }
    }
}
