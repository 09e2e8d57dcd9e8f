using System.Diagnostics;
using Bandits.Testing;
using Microsoft.Playwright;

// The experiment page of a 30-day experiment by the hour (the target: drawn in ≤ 1 s):
// a server on a fresh SQLite directory, an experiment seeded with 30 days of log and rollups
// (3 arms, about 430k decisions) and loaded again, then LOADS full page loads in Debian's headless
// Chromium, each timed from the navigation to the last of the four charts drawn with every point.
//
//   Bandits.Bench.Dashboard [loads]      (default 10; bench/dashboard.sh)
int loads = args.Length > 0 ? int.Parse(args[0]) : 10;
string[] arms = ["control", "blue", "green"];
string data = Directory.CreateTempSubdirectory("bandits-bench-dashboard-").FullName;
try
{
    await using ServerProcess server = ServerProcess.Create(data);
    await server.StartAsync();
    string id = Http.NewId("month");
    using (HttpClient admin = server.Client(TestKeys.Admin)) (await admin.PutExperiment(id, new { arms })).EnsureSuccessStatusCode();
    await server.StopAsync();
    long decisions = await HistorySeed.WriteAsync(id, arms.Length, days: 30, data, withLog: true);
    await server.StartAsync();
    Console.Error.WriteLine($"Seeded {id}: {arms.Length} arms, 30 days, {decisions:N0} decisions.");

    using IPlaywright playwright = await Playwright.CreateAsync();
    await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = server.BaseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
    });
    IPage page = await context.NewPageAsync();
    await page.GotoAsync("/sign-in");
    await page.GetByLabel("API key").FillAsync(TestKeys.Analyst);
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    await page.GetByRole(AriaRole.Heading, new() { Name = "Experiments", Level = 1 }).WaitForAsync();

    string url = $"/experiments/{id}?range=30d";
    await page.GotoAsync(url);
    await DrawnAsync(page); // the server's first drawing of the page (JIT, history computed), not timed
    var milliseconds = new List<double>();
    for (int i = 0; i < loads; i++)
    {
        long started = Stopwatch.GetTimestamp();
        await page.GotoAsync(url);
        await DrawnAsync(page);
        milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    milliseconds.Sort();
    double At(double q) => milliseconds[Math.Min(loads - 1, (int)Math.Ceiling(q * loads) - 1)];
    Console.WriteLine("| page | loads | median | p90 | max |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    Console.WriteLine($"| experiment, 30 days at 1h (720 points × 3 arms, 4 charts) | {loads} | {At(0.5):F0} ms | {At(0.9):F0} ms | {milliseconds[^1]:F0} ms |");
}
finally
{
    try { Directory.Delete(data, recursive: true); } catch (IOException) { }
}

// Drawn: the history's 720 (or 721, across an hour's turn) points are on the page and every
// chart has a path for each of its series.
static async Task DrawnAsync(IPage page)
{
    await page.WaitForFunctionAsync("""
        () => {
          const charts = document.querySelector('.charts[data-history-points]');
          if (!charts || Number(charts.getAttribute('data-history-points')) < 720) return false;
          const series = { 'probability-best': 3, 'traffic-share': 3, 'mean': 6, 'density': 3 };
          return Object.entries(series).every(([chart, count]) =>
            [...document.querySelectorAll(`figure[data-chart='${chart}'] .rz-chart > svg g[class*='rz-series-']`)]
              .filter(g => g.querySelector("path[d^='M']")).length === count);
        }
        """, null, new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 10 });
}
