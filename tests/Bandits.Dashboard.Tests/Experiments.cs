using System.Text.Json.Nodes;

namespace Bandits.Dashboard.Tests;

/// <summary>Experiments made through the public API, as an app and a producer would.</summary>
public static class Experiments
{
    /// <summary>
    /// Creates a binary experiment and plays <paramref name="decisions"/> choices, rewarding each
    /// with 1 with the arm's probability in <paramref name="rates"/> (a fixed seed); returns once
    /// the statistics count every decision.
    /// </summary>
    public static async Task<string> CreateAsync(ServerProcess server, string prefix, IReadOnlyDictionary<string, double> rates, int decisions = 60)
    {
        string id = Http.NewId(prefix);
        using HttpClient admin = server.Client(TestKeys.Admin);
        (await admin.PutExperiment(id, new { arms = rates.Keys.ToArray() })).EnsureSuccessStatusCode();
        await PlayAsync(server, id, rates, decisions, seed: id.GetHashCode());
        return id;
    }

    public static async Task PlayAsync(ServerProcess server, string id, IReadOnlyDictionary<string, double> rates, int decisions, int seed)
    {
        using HttpClient app = server.Client(TestKeys.App), producer = server.Client(TestKeys.Producer), analyst = server.Client(TestKeys.Analyst);
        long before = (long)(await analyst.Stats(id))["totalDecisions"]!;
        var random = new Random(seed);
        var rewards = new List<object>();
        for (int i = 0; i < decisions; i++)
        {
            JsonNode decision = await app.Choose(id);
            double reward = random.NextDouble() < rates[(string)decision["arm"]!] ? 1 : 0;
            rewards.Add(new { decisionId = (string)decision["decisionId"]!, reward });
        }
        await producer.Reward(id, rewards);
        // Decisions reach the statistics within a second of being made (the silo's outbox).
        await Eventually.UntilAsync(async () => (long)(await analyst.Stats(id))["totalDecisions"]! == before + decisions, $"{id} to count its decisions");
    }
}
