using static Microsoft.Playwright.Assertions;

namespace Bandits.Dashboard.Tests;

/// <summary>Both pages at a desktop's and a phone's width, saved under the test output's artifacts folder (docs/images holds copies).</summary>
[Collection(DashboardCollection.Name)]
public sealed class ScreenshotTests(DashboardFixture fixture)
{
    public static TheoryData<string, int, int> Sizes => new()
    {
        { "desktop", DashboardPage.Desktop.Width, DashboardPage.Desktop.Height },
        { "phone", DashboardPage.Phone.Width, DashboardPage.Phone.Height },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task BothPagesFitTheWidth(string device, int width, int height)
    {
        string id = await Experiments.CreateAsync(fixture.Server, "hero", new Dictionary<string, double> { ["control"] = 0.1, ["blue"] = 0.16, ["green"] = 0.12 }, decisions: 120);
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture, (width, height));
        await tab.SignInAsync(TestKeys.Admin);
        await Expect(tab.Page.Locator($"tr[data-experiment='{id}']")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(tab.Page);
        await tab.ScreenshotAsync(fixture.Artifacts, $"experiments-{device}");

        await tab.OpenExperimentAsync(id);
        await Expect(tab.Page.Locator("figure[data-chart='density'] .rz-chart > svg g[class*='rz-series-']")).ToHaveCountAsync(3);
        await AssertNoSidewaysScrollAsync(tab.Page);
        await tab.ScreenshotAsync(fixture.Artifacts, $"experiment-{device}");
        tab.AssertNoErrors();
    }

    /// <summary>The page itself is no wider than the viewport; wide tables scroll inside their own region.</summary>
    private static async Task AssertNoSidewaysScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The page scrolls sideways at this width.");
}
