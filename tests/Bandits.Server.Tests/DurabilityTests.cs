using System.Text.Json.Nodes;
using Bandits.Grains.Storage;

namespace Bandits.Server.Tests;

/// <summary>
/// 200 on rewards means committed: the server is killed with SIGKILL right after the last
/// acknowledgement, restarted on the same data, and must hold every acknowledged reward,
/// none twice, and still recognise repeats.
/// </summary>
public abstract class DurabilityTests
{
    protected abstract Task<string?> ConnectionStringAsync();

    /// <summary>Both settings promise the same against kill -9 of the server process (they differ only on a machine crash).</summary>
    [Theory]
    [InlineData("Flush")]
    [InlineData("Process")]
    public async Task EveryAcknowledgedRewardSurvivesAKillAndNoneIsCountedTwice(string durability)
    {
        var settings = new Dictionary<string, string> { ["Storage:Durability"] = durability };
        string data = Directory.CreateTempSubdirectory("bandits-durability-").FullName;
        string? database = await ConnectionStringAsync();
        string id = Http.NewId();
        var decisions = new List<(string DecisionId, string Arm)>();
        int acknowledged = 0;
        double acknowledgedSum = 0;

        await using (ServerProcess first = ServerProcess.Create(data, database, settings))
        {
            await first.StartAsync();
            HttpClient client = first.Client();
            (await client.PutExperiment(id, new { arms = new[] { "a", "b", "c" } })).EnsureSuccessStatusCode();
            for (int i = 0; i < 300; i++)
            {
                JsonNode decision = await client.Choose(id);
                decisions.Add(((string)decision["decisionId"]!, (string)decision["arm"]!));
            }
            // Concurrent posts, so that batches are group-committed together; then kill at once.
            await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                JsonNode receipt = await client.Reward(id, new { decisionId = decisions[i].DecisionId, reward = i % 3 == 0 ? 1 : 0 });
                Interlocked.Add(ref acknowledged, (int)receipt["accepted"]!);
            });
            acknowledgedSum = Enumerable.Range(0, 200).Count(i => i % 3 == 0);
            await first.KillAsync();
        }

        await using ServerProcess second = ServerProcess.Create(data, database, settings);
        await second.StartAsync();
        HttpClient again = second.Client();
        JsonNode stats = await again.Stats(id);
        // Decisions not yet logged at the kill may be missing from the counts, but none is counted twice.
        Assert.InRange((long)stats["totalDecisions"]!, 0, decisions.Count);
        Assert.Equal(200, acknowledged);
        Assert.Equal(acknowledged, (long)stats["totalRewards"]!);
        Assert.Equal(acknowledgedSum, stats["arms"]!.AsArray().Sum(a => (double)a!["rewardSum"]!));

        // Repeats of acknowledged rewards are still duplicates after the restart …
        JsonNode repeat = await again.Reward(id, decisions.Take(50).Select(d => new { decisionId = d.DecisionId, reward = 1 }).ToArray());
        Assert.Equal(0, (int)repeat["accepted"]!);
        Assert.Equal(50, (int)repeat["duplicates"]!);
        // … and decisions issued before the crash can still be rewarded once.
        JsonNode late = await again.Reward(id, decisions.Skip(200).Select(d => new { decisionId = d.DecisionId, reward = 1 }).ToArray());
        Assert.Equal(100, (int)late["accepted"]!);
        Assert.Equal(300, (long)(await again.Stats(id))["totalRewards"]!);
        // New decisions never reuse a number issued before the crash.
        string fresh = (string)(await again.Choose(id))["decisionId"]!;
        Assert.DoesNotContain(fresh, decisions.Select(d => d.DecisionId));
        JsonNode freshReceipt = await again.Reward(id, new { decisionId = fresh, reward = 1 });
        Assert.Equal(1, (int)freshReceipt["accepted"]!);
    }

    /// <summary>
    /// The rollups are written in the same commits as the log rows they count: killed in the
    /// middle of choices, rewards and default-reward sweeps, the server leaves rollups that equal
    /// a recount of the log, at both resolutions.
    /// </summary>
    [Fact]
    public async Task TheRollupsEqualARecountOfTheLogAfterAKillMidLoad()
    {
        string data = Directory.CreateTempSubdirectory("bandits-rollups-").FullName;
        string? connectionString = await ConnectionStringAsync();
        string id = Http.NewId();
        int rewarded = 0;
        await using (ServerProcess server = ServerProcess.Create(data, connectionString, ServerSettings.Fast.ToDictionary()))
        {
            await server.StartAsync();
            HttpClient client = server.Client();
            (await client.PutExperiment(id, new { arms = new[] { "a", "b", "c" }, rewardKind = "continuous", defaultReward = 0, rewardWindowSeconds = 1 })).EnsureSuccessStatusCode();
            using var stop = new CancellationTokenSource();
            Task[] load = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                var random = new Random(worker);
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        JsonNode decision = await client.Choose(id);
                        if (random.Next(3) == 0) continue; // left for its default reward
                        await client.Reward(id, new { decisionId = (string)decision["decisionId"]!, reward = Math.Round(random.NextDouble() * 10, 2) });
                        Interlocked.Increment(ref rewarded);
                    }
                }
                catch (HttpRequestException)
                {
                    // the kill
                }
            })).ToArray();
            await Eventually.UntilAsync(() => Volatile.Read(ref rewarded) > 300, "300 rewards under load");
            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        BanditsDatabase database = connectionString is null ? BanditsDatabase.Embedded(data) : BanditsDatabase.Postgres(connectionString);
        await using System.Data.Common.DbConnection connection = await database.OpenAsync();
        string[] recount = await ReadRowsAsync(connection, $"""
            SELECT arm_index, SUM(decisions), SUM(rewards), SUM(reward_sum), SUM(reward_sum_sq), SUM(defaults), SUM(joined) FROM (
                SELECT arm_index, 1 AS decisions, 0 AS rewards, 0.0 AS reward_sum, 0.0 AS reward_sum_sq, 0 AS defaults, 0 AS joined
                FROM bandits_decisions WHERE experiment_id = '{id}'
                UNION ALL
                SELECT arm_index, 0, 1, reward, reward * reward, CASE WHEN source = 1 THEN 1 ELSE 0 END, CASE WHEN source = 0 AND decision_seq IS NOT NULL THEN 1 ELSE 0 END
                FROM bandits_rewards WHERE experiment_id = '{id}') AS log
            GROUP BY arm_index ORDER BY arm_index
            """);
        Assert.Equal(3, recount.Length);
        foreach (int resolution in new[] { 60, 3600 })
        {
            string[] rollups = await ReadRowsAsync(connection, $"""
                SELECT arm_index, SUM(decisions), SUM(rewards), SUM(reward_sum), SUM(reward_sum_sq), SUM(default_rewards), SUM(joined_rewards)
                FROM bandits_rollups WHERE experiment_id = '{id}' AND resolution = {resolution} GROUP BY arm_index ORDER BY arm_index
                """);
            Assert.Equal(recount, rollups);
        }
    }

    /// <summary>Rows as text, sums rounded to 6 decimals (the database adds in its own order).</summary>
    private static async Task<string[]> ReadRowsAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await using System.Data.Common.DbDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => Math.Round(Convert.ToDouble(reader.GetValue(i)), 6).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        return [.. rows];
    }

    /// <summary>
    /// The health's counts are kept in the snapshot: after a graceful stop (a last snapshot) and a
    /// restart they are what they were, late rewards included, which the log does not hold.
    /// </summary>
    [Fact]
    public async Task TheHealthCountsSurviveARestart()
    {
        string data = Directory.CreateTempSubdirectory("bandits-health-").FullName;
        string? database = await ConnectionStringAsync();
        string id = Http.NewId();
        JsonNode before;
        await using (ServerProcess first = ServerProcess.Create(data, database, ServerSettings.Fast.ToDictionary()))
        {
            await first.StartAsync();
            HttpClient client = first.Client();
            (await client.PutExperiment(id, new { arms = new[] { "a", "b" }, rewardWindowSeconds = 1, defaultReward = 0 })).EnsureSuccessStatusCode();
            JsonNode joined = await client.Choose(id), late = await client.Choose(id);
            await client.Choose(id); // never rewarded: it gets the default
            await client.Reward(id, new { decisionId = (string)joined["decisionId"]!, reward = 1 });
            await client.Reward(id, new { arm = "b", reward = 1 });
            await Eventually.UntilPastAsync(DateTimeOffset.UtcNow.AddSeconds(1.5));
            Assert.Equal(1, (int)(await client.Reward(id, new { decisionId = (string)late["decisionId"]!, reward = 1 }))["expired"]!);
            await Eventually.UntilAsync(async () => (long)(await client.Stats(id))["health"]!["defaultRewards"]! == 2, "the two unrewarded decisions' defaults");
            before = (await client.Stats(id))["health"]!;
            await first.StopAsync();
        }

        await using ServerProcess second = ServerProcess.Create(data, database);
        await second.StartAsync();
        JsonNode after = (await second.Client().Stats(id))["health"]!;
        Assert.Equal((1, 2, 1, 1), ((long)before["lateRewards"]!, (long)before["defaultRewards"]!, (long)before["unjoinedRewards"]!, (long)Math.Round(before["rewardedShare"]!.GetValue<double>() * 3)));
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task AGracefulStopKeepsDecisionCountsAndState()
    {
        string data = Directory.CreateTempSubdirectory("bandits-graceful-").FullName;
        string? database = await ConnectionStringAsync();
        string id = Http.NewId();
        await using (ServerProcess first = ServerProcess.Create(data, database))
        {
            await first.StartAsync();
            HttpClient client = first.Client();
            (await client.PutExperiment(id, new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();
            for (int i = 0; i < 40; i++) await client.Choose(id);
            await client.Reward(id, new { arm = "a", reward = 1 });
            await first.StopAsync();
            Assert.Equal(0, first.ExitCode);
        }

        await using ServerProcess second = ServerProcess.Create(data, database);
        await second.StartAsync();
        JsonNode stats = await second.Client().Stats(id);
        Assert.Equal(40, (long)stats["totalDecisions"]!);
        Assert.Equal(1, (long)stats["totalRewards"]!);
        // The traffic shares start again from the last hour's decisions, not from nothing.
        Assert.Equal(1.0, stats["arms"]!.AsArray().Sum(a => (double)a!["trafficShare"]!), 9);
    }
}

public sealed class SqliteDurabilityTests : DurabilityTests
{
    protected override Task<string?> ConnectionStringAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresDurabilityTests : DurabilityTests
{
    protected override async Task<string?> ConnectionStringAsync() => await PostgresDatabases.CreateAsync();
}
