using static Microsoft.Playwright.Assertions;

namespace Bandits.Dashboard.Tests;

/// <summary>Signing in with an API key: who is let in, who is refused and why, and where the key is kept.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SignInTests(DashboardFixture fixture)
{
    [Fact]
    public async Task AnUnknownKeyIsRefusedWithAClearMessage()
    {
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.Page.GotoAsync("/sign-in");
        await tab.Page.GetByLabel("API key").FillAsync("not-a-key-of-this-server");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This API key is not known to the server.");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        tab.AssertNoErrors();
    }

    [Theory]
    [InlineData(TestKeys.App, "app")]
    [InlineData(TestKeys.Producer, "producer")]
    public async Task KeysOfAppsAndProducersAreRefused(string key, string role)
    {
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.Page.GotoAsync("/sign-in");
        await tab.Page.GetByLabel("API key").FillAsync(key);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync($"This key has the {role} role; the dashboard needs an analyst or admin key.");
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task AVisitorWhoIsNotSignedInIsSentToTheSignInPage()
    {
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.Page.GotoAsync("/experiments/some-experiment");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.StartsWith("/sign-in?return=", new Uri(tab.Page.Url).PathAndQuery);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task TheKeyStaysForTheTabOnlyAndNeverInAnAddressOrALogLine()
    {
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Analyst);
        await tab.Page.ReloadAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Experiments", Level = 1 })).ToBeVisibleAsync();
        await Expect(tab.Page.GetByText("analyst", new() { Exact = true })).ToBeVisibleAsync();

        // Session storage holds it encrypted (Data Protection), not in plain text.
        string stored = await tab.Page.EvaluateAsync<string>("() => JSON.stringify(Object.entries(sessionStorage))");
        Assert.Contains("bandits.dashboard.key", stored);
        Assert.DoesNotContain(TestKeys.Analyst, stored);
        Assert.DoesNotContain(TestKeys.Analyst, tab.Page.Url);
        Assert.DoesNotContain(TestKeys.Analyst, fixture.Server.Output);

        // A new tab (another session) is not signed in.
        IPage other = await tab.Page.Context.NewPageAsync();
        await other.GotoAsync("/");
        await Expect(other.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task SigningOutForgetsTheKey()
    {
        await using DashboardPage tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(TestKeys.Analyst);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Equal("[]", await tab.Page.EvaluateAsync<string>("() => JSON.stringify(Object.keys(sessionStorage))"));
        await tab.Page.GotoAsync("/");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        tab.AssertNoErrors();
    }
}
