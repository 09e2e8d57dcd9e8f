namespace Bandits.Server.Tests;

/// <summary>
/// An idle stream sends a comment line every 15 s (docs/api.md), so that proxies and clients do
/// not close it. Its own class: xunit runs it beside the other classes while it waits.
/// </summary>
public sealed class StreamHeartbeatTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task AnIdleStreamSendsAHeartbeatEveryFifteenSeconds()
    {
        string id = Http.NewId();
        await fixture.Server.Client().PutExperiment(id, new { arms = new[] { "a", "b" } });
        using HttpClient reader = fixture.Server.Client(TestKeys.Analyst);
        reader.Timeout = Timeout.InfiniteTimeSpan;
        using HttpResponseMessage response = await reader.GetAsync($"/v1/experiments/{id}/stats/stream", HttpCompletionOption.ResponseHeadersRead);
        using var events = new ServerSentEvents(await response.Content.ReadAsStreamAsync());
        await events.NextAsync(); // the present statistics

        // Nothing changes: no event within 17 s, but a heartbeat.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => events.NextAsync(TimeSpan.FromSeconds(17)));
        Assert.Equal(1, events.Comments);
    }
}
