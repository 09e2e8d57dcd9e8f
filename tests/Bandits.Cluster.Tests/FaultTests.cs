using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;


namespace Bandits.Cluster.Tests;

/// <summary>
/// Faults injected into real processes: three silos on one PostgreSQL, a load client posting
/// rewards through all of them, and silos or the database killed under load. The promise under
/// test: every acknowledged reward is committed exactly once, per arm.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Arms = ["a", "b", "c", "d", "e"];
    private PostgresServer database = null!;
    private SiloCluster cluster = null!;
    private string connectionString = null!;
    private readonly string experimentId = Http.NewId("fault");

    public async Task InitializeAsync()
    {
        database = await PostgresServer.StartAsync();
        connectionString = await database.CreateDatabaseAsync();
        cluster = await SiloCluster.StartAsync(connectionString, 3);
        (await cluster.Client(0).PutExperiment(experimentId, new { arms = Arms })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        // The silos' errors, to explain a failure.
        for (int silo = 0; silo < cluster.Count; silo++)
            foreach (string line in cluster[silo].Output.Split('\n').Where(l => l.Contains(" ERR] ") || l.Contains("Exception:")).Distinct().Take(8))
                output.WriteLine($"silo {silo}: {line}");
        await cluster.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>Decisions issued through every silo; each will get reward 1 or 0 by its position.</summary>
    private async Task<List<PlannedReward>> PlanAsync(int count)
    {
        var plan = new List<PlannedReward>();
        HttpClient[] clients = Enumerable.Range(0, cluster.Count).Select(cluster.Client).ToArray();
        for (int i = 0; i < count; i++)
        {
            JsonNode decision = await clients[i % clients.Length].Choose(experimentId);
            plan.Add(new PlannedReward((string)decision["decisionId"]!, (string)decision["arm"]!, i % 2));
        }
        return plan;
    }

    /// <summary>
    /// Committed counts per arm must equal the acknowledged ones exactly: in the database's
    /// log itself, and in the statistics the silos serve.
    /// </summary>
    private async Task AssertCommittedEqualsAcknowledgedAsync(RewardLoad load, int planned, int silo = 0)
    {
        Assert.Equal(planned, load.Acknowledged.Count);
        await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                "SELECT arm_index, COUNT(*), SUM(reward) FROM bandits_rewards WHERE experiment_id = @id GROUP BY arm_index", connection);
            command.Parameters.AddWithValue("id", experimentId);
            var logged = new Dictionary<string, (long Count, double Sum)>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) logged[Arms[reader.GetInt32(0)]] = (reader.GetInt64(1), reader.GetDouble(2));
            foreach (string arm in Arms)
            {
                PlannedReward[] mine = load.Acknowledged.Values.Where(r => r.Arm == arm).ToArray();
                (long count, double sum) = logged.GetValueOrDefault(arm);
                Assert.Equal(mine.Length, count);
                Assert.Equal(mine.Sum(r => r.Reward), sum, 9);
            }
        }
        JsonNode stats = await cluster.Client(silo).Stats(experimentId);
        output.WriteLine($"acknowledged {load.Acknowledged.Count}, committed {(long)stats["totalRewards"]!}; " +
            $"failed attempts by status: {string.Join(", ", load.Failures.Select(f => $"{f.Key}×{f.Value}"))}");
        Assert.Equal(planned, (long)stats["totalRewards"]!);
        foreach (string arm in Arms)
        {
            PlannedReward[] mine = load.Acknowledged.Values.Where(r => r.Arm == arm).ToArray();
            Assert.Equal(mine.Length, (long)stats.Arm(arm)["rewards"]!);
            Assert.Equal(mine.Sum(r => r.Reward), (double)stats.Arm(arm)["rewardSum"]!, 9);
        }
    }

    /// <summary>Returns once the load has <paramref name="count"/> rewards acknowledged.</summary>
    private static Task AcknowledgedAsync(RewardLoad load, int count) =>
        Eventually.UntilAsync(() => load.Acknowledged.Count >= count, $"{count} acknowledged rewards", TimeSpan.FromMinutes(2));

    /// <summary>Time until choose on the experiment answers 200 again through a silo that is up.</summary>
    private async Task<TimeSpan> TimeUntilAvailableAsync(int liveSilo, Stopwatch sinceKill)
    {
        using HttpClient client = cluster.Client(liveSilo);
        client.Timeout = TimeSpan.FromSeconds(5);
        while (sinceKill.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using HttpResponseMessage response = await client.PostAsync($"/v1/experiments/{experimentId}/choose", null);
                if (response.StatusCode == HttpStatusCode.OK) return sinceKill.Elapsed;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException("The experiment did not come back within 60 s.");
    }

    /// <summary>
    /// Under load, takes the silos down in turn (<paramref name="takeDown"/> starts at once and
    /// completes when the silo is gone), times until the experiment answers again through the
    /// next silo, restarts the silo, and finally checks every acknowledged reward.
    /// </summary>
    private async Task TakeSilosDownInTurnAsync(int planned, int rounds, string fault, Func<ServerProcess, Task> takeDown)
    {
        List<PlannedReward> plan = await PlanAsync(planned);
        var load = new RewardLoad(cluster, experimentId);
        Task loading = load.RunAsync(plan, workers: 6, pace: TimeSpan.FromMilliseconds(40));

        var unavailable = new List<TimeSpan>();
        for (int round = 0; round < rounds; round++)
        {
            // Each fault strikes once the load has made progress since the last (a share of the plan).
            await AcknowledgedAsync(load, Math.Min(plan.Count, load.Acknowledged.Count + plan.Count / (rounds + 1)));
            int victim = round % cluster.Count;
            var sinceFault = Stopwatch.StartNew();
            Task down = takeDown(cluster[victim]);
            unavailable.Add(await TimeUntilAvailableAsync((victim + 1) % cluster.Count, sinceFault));
            await down;
            await cluster[victim].StartAsync();
        }
        await loading.WaitAsync(TimeSpan.FromMinutes(3));

        output.WriteLine($"experiment unavailable after each {fault}: {string.Join(", ", unavailable.Select(t => $"{t.TotalSeconds:F1} s"))}");
        await AssertCommittedEqualsAcknowledgedAsync(load, plan.Count);
    }

    [Fact]
    public Task KillingOneSiloAtATimeUnderLoadLosesAndDoublesNothing() =>
        TakeSilosDownInTurnAsync(1500, rounds: 5, "kill -9", silo => silo.KillAsync());

    [Fact]
    public Task StoppingSilosGracefullyUnderLoadHandsTheirExperimentsOver() =>
        TakeSilosDownInTurnAsync(900, rounds: 3, "SIGTERM", async silo =>
        {
            await silo.StopAsync();
            Assert.Equal(0, silo.ExitCode);
        });

    [Fact]
    public async Task KillingEverySiloAtOnceLosesNothingAcknowledged()
    {
        List<PlannedReward> plan = await PlanAsync(900);
        var load = new RewardLoad(cluster, experimentId);
        Task loading = load.RunAsync(plan, workers: 6, pace: TimeSpan.FromMilliseconds(50));

        await AcknowledgedAsync(load, plan.Count / 4);
        for (int silo = 0; silo < cluster.Count; silo++) await cluster[silo].KillAsync();
        int acknowledgedBeforeKill = load.Acknowledged.Count;
        for (int silo = 0; silo < cluster.Count; silo++) await cluster[silo].StartAsync();
        await loading.WaitAsync(TimeSpan.FromMinutes(3));

        output.WriteLine($"acknowledged before the kill: {acknowledgedBeforeKill} of {plan.Count}");
        Assert.InRange(acknowledgedBeforeKill, 1, plan.Count - 1);
        await AssertCommittedEqualsAcknowledgedAsync(load, plan.Count);
    }

    [Fact]
    public async Task ADatabaseOutageAnswers503AndRecoversWithoutRestarts()
    {
        List<PlannedReward> plan = await PlanAsync(900);
        var load = new RewardLoad(cluster, experimentId);
        Task loading = load.RunAsync(plan, workers: 6, pace: TimeSpan.FromMilliseconds(30));

        await AcknowledgedAsync(load, plan.Count / 6);
        await database.StopAsync();
        DateTimeOffset stopped = DateTimeOffset.UtcNow;
        using HttpClient probe = cluster.Client(1);
        HttpStatusCode readyDuringOutage = HttpStatusCode.OK;
        await Eventually.UntilAsync(async () => (readyDuringOutage = (await probe.GetAsync("/health/ready")).StatusCode) != HttpStatusCode.OK,
            "readiness to notice the outage", TimeSpan.FromSeconds(15));
        // The outage lasts a while longer under load: its length is the fault, not a wait.
        await Task.Delay(TimeSpan.FromSeconds(8));
        DateTimeOffset restarting = DateTimeOffset.UtcNow;
        await database.StartAgainAsync();
        await loading.WaitAsync(TimeSpan.FromMinutes(3));
        var recovered = Stopwatch.StartNew();
        await Eventually.UntilAsync(async () => (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "readiness after the outage", TimeSpan.FromSeconds(60));

        output.WriteLine($"ready during the outage: {(int)readyDuringOutage}; ready again {recovered.Elapsed.TotalSeconds:F1} s after the load finished");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyDuringOutage);
        // Nothing is acknowledged while the database is down (a request may straddle the stop by
        // its own round trip, so allow half a second), and failures are 503s or no answer, never 500.
        Assert.DoesNotContain(load.AcknowledgedAt, at => at > stopped.AddMilliseconds(500) && at < restarting);
        Assert.DoesNotContain(500, load.Failures.Keys);
        await AssertCommittedEqualsAcknowledgedAsync(load, plan.Count, silo: 2);
    }
}
