using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bandits.Dashboard.Tests;

/// <summary>axe-core's WCAG 2 A and AA rules on every page, at both widths: labels, names, contrast, roles.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AccessibilityTests(DashboardFixture fixture)
{
    private static readonly AxeRunOptions Wcag = new() { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } };

    [Theory]
    [MemberData(nameof(ScreenshotTests.Sizes), MemberType = typeof(ScreenshotTests))]
    public async Task EveryPageMeetsWcagAA(string device, int width, int height)
    {
        string id = await Experiments.CreateAsync(fixture.Server, "a11y", new Dictionary<string, double> { ["control"] = 0.2, ["blue"] = 0.4 }, decisions: 30);
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture, (width, height));
        await tab.Page.GotoAsync("/sign-in");
        await Expect(tab.Page.GetByLabel("API key")).ToBeVisibleAsync();
        await AssertNoViolationsAsync(tab.Page, $"sign-in ({device})");

        await tab.SignInAsync(TestKeys.Admin);
        await Expect(tab.Page.Locator($"tr[data-experiment='{id}']")).ToBeVisibleAsync();
        await AssertNoViolationsAsync(tab.Page, $"experiments ({device})");

        await tab.OpenExperimentAsync(id);
        await Expect(tab.Page.Locator("figure[data-chart='density'] .rz-chart > svg g[class*='rz-series-']")).ToHaveCountAsync(2);
        await AssertNoViolationsAsync(tab.Page, $"experiment ({device})");

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Conclude…" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await AssertNoViolationsAsync(tab.Page, $"conclude dialog ({device})");
        tab.AssertNoErrors();
    }

    private static async Task AssertNoViolationsAsync(IPage page, string where)
    {
        AxeResult result = await page.RunAxe(Wcag);
        string Describe(AxeResultItem v) =>
            $"{v.Id} ({v.Impact}): {v.Help}\n" + string.Join("\n", v.Nodes.Take(3).Select(n => $"    {n.Target}: {n.Html}"));
        Assert.True(result.Violations.Length == 0, $"{where}:\n" + string.Join("\n", result.Violations.Select(Describe)));
    }
}
