using System.Text.Json.Nodes;

namespace Bandits.Server.Tests;

/// <summary>
/// The seeded 30-day experiment of the dashboard's screenshots and benchmarks must look like a real
/// one: with its log seeded, the experiment (loaded again) and its history tell the same story.
/// </summary>
public sealed class HistorySeedTests
{
    [Fact]
    public async Task ASeededLogIsWhatTheExperimentLearnedAndWhatItsHistoryShows()
    {
        string data = Directory.CreateTempSubdirectory("bandits-seed-").FullName;
        string id = Http.NewId("seeded");
        await using (ServerProcess first = ServerProcess.Create(data))
        {
            await first.StartAsync();
            (await first.Client().PutExperiment(id, new { arms = new[] { "a", "b", "c" } })).EnsureSuccessStatusCode();
            await first.StopAsync();
        }
        long seeded = await HistorySeed.WriteAsync(id, arms: 3, days: 3, data, decisionsPerHour: 60, withLog: true);

        await using ServerProcess second = ServerProcess.Create(data);
        await second.StartAsync();
        HttpClient analyst = second.Client(TestKeys.Analyst);
        JsonNode stats = await analyst.Stats(id);
        Assert.Equal(seeded, (long)stats["totalDecisions"]!);
        Assert.Equal(seeded, (long)stats["totalRewards"]!);

        string from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-4).ToString("yyyy-MM-ddTHH:mm:ssZ"));
        JsonNode history = JsonNode.Parse(await analyst.GetStringAsync($"/v1/experiments/{id}/history?from={from}&step=1h"))!;
        JsonNode last = history["points"]!.AsArray().Last()!;
        foreach (string arm in new[] { "a", "b", "c" })
        {
            JsonNode then = last["arms"]!.AsArray().Single(a => (string)a!["arm"]! == arm)!;
            Assert.Equal((double)stats.Arm(arm)["mean"]!, (double)then["mean"]!, 9);
            Assert.Equal((double)stats.Arm(arm)["probabilityBest"]!, (double)then["probabilityBest"]!, 9);
        }
        Assert.Equal(seeded, history["points"]!.AsArray().Sum(p => p!["arms"]!.AsArray().Sum(a => (long)a!["decisions"]!)));
    }
}
