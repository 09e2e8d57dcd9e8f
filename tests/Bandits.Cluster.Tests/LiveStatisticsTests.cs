using System.Text.Json.Nodes;

namespace Bandits.Cluster.Tests;

/// <summary>
/// The analysts' live stream across real silo processes: the experiment's grain lives on one of
/// two silos, a stream is open on each, and rewards are posted through the other: each stream
/// follows, wherever its silo is, and both end when the experiment is deleted.
/// </summary>
public sealed class LiveStatisticsTests : IAsyncLifetime
{
    private PostgresServer database = null!;
    private SiloCluster cluster = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresServer.StartAsync();
        cluster = await SiloCluster.StartAsync(await database.CreateDatabaseAsync(), 2);
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task AStreamOnAnySiloFollowsRewardsPostedThroughAnother()
    {
        string id = Http.NewId("live");
        (await cluster.Client(0).PutExperiment(id, new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();
        var streams = new List<(HttpResponseMessage Response, ServerSentEvents Events)>();
        for (int silo = 0; silo < 2; silo++)
        {
            HttpClient client = cluster[silo].Client(TestKeys.Analyst);
            client.Timeout = Timeout.InfiniteTimeSpan;
            HttpResponseMessage response = await client.GetAsync($"/v1/experiments/{id}/stats/stream", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            var events = new ServerSentEvents(await response.Content.ReadAsStreamAsync());
            Assert.Equal("stats", (await events.NextAsync()).Type);
            streams.Add((response, events));
        }

        for (int round = 1; round <= 3; round++)
        {
            HttpClient poster = cluster.Client(round % 2);
            await poster.Reward(id, Enumerable.Range(0, 10).Select(i => new { arm = i % 2 == 0 ? "a" : "b", reward = 1 }).ToArray());
            foreach ((_, ServerSentEvents events) in streams)
            {
                // At most one event a second: a stream may see an intermediate count first.
                long seen = 0;
                while (seen < 10 * round) seen = (long)(await events.NextAsync(TimeSpan.FromSeconds(5))).Data["totalRewards"]!;
                Assert.Equal(10 * round, seen);
            }
        }

        (await cluster.Client(1).DeleteAsync($"/v1/experiments/{id}")).EnsureSuccessStatusCode();
        foreach ((HttpResponseMessage response, ServerSentEvents events) in streams)
        {
            Assert.Equal("deleted", (await events.NextAsync(TimeSpan.FromSeconds(5))).Type);
            Assert.True(await events.EndedAsync(TimeSpan.FromSeconds(5)));
            events.Dispose();
            response.Dispose();
        }
    }
}
