using System.Security.Cryptography;
using System.Text.Json;
using Bandits.Abstractions;
using Bandits.Core;
using Bandits.Core.Policies;
using Bandits.Grains.Decisions;
using Bandits.Grains.Storage;
using Microsoft.Data.Sqlite;
using Orleans.TestingHost;

namespace Bandits.Grains.Tests;

/// <summary>
/// An embedded database written by the previous version (snapshot format 1, schema up to 011):
/// Fixtures/v1 holds it with the statistics that version answered for it just before it stopped.
/// </summary>
public sealed class SnapshotMigrationTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("bandits-v1-").FullName;
    private InProcessTestCluster cluster = null!;
    private BanditsDatabase database = null!;

    public async Task InitializeAsync()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "v1", "bandits.db"), Path.Combine(directory, "bandits.db"));
        database = BanditsDatabase.Embedded(directory);
        await SchemaMigrator.ApplyAsync(database);
        cluster = await ClusterFixture.StartAsync(database, new DecisionTokens(RandomNumberGenerator.GetBytes(32)), silos: 1);
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }

    [Theory]
    [InlineData("hero")]
    [InlineData("revenue")]
    public async Task AnExperimentStoredInFormat1AnswersAsBefore(string id)
    {
        using JsonDocument before = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "v1", id + ".json")));
        ExperimentStatistics after = (await cluster.Client.GetGrain<IExperimentGrain>(id).GetStatisticsAsync())!;

        Assert.Equal(before.RootElement.GetProperty("policy").GetString(), PolicyFactory.NameOf(after.Policy));
        Assert.Equal(before.RootElement.GetProperty("totalDecisions").GetInt64(), after.TotalDecisions);
        Assert.Equal(before.RootElement.GetProperty("totalRewards").GetInt64(), after.TotalRewards);
        JsonElement[] arms = [.. before.RootElement.GetProperty("arms").EnumerateArray()];
        Assert.Equal(arms.Length, after.Arms.Count);
        for (int i = 0; i < arms.Length; i++)
        {
            ArmStatisticsView arm = after.Arms[i];
            Assert.Equal(arms[i].GetProperty("arm").GetString(), arm.Arm);
            Assert.Equal(arms[i].GetProperty("status").GetString(), arm.Status);
            Assert.Equal(arms[i].GetProperty("decisions").GetInt64(), arm.Decisions);
            Assert.Equal(arms[i].GetProperty("rewards").GetInt64(), arm.Rewards);
            // The same numbers, bit for bit: the learned state was carried over, not re-learned.
            Assert.Equal(arms[i].GetProperty("rewardSum").GetDouble(), arm.RewardSum);
            Assert.Equal(arms[i].GetProperty("mean").GetDouble(), arm.Mean);
            // The interval's quantiles are found by Halley/Newton steps since (BetaQuantile, StudentTQuantile), not by a bracketing search: the same to 12 digits.
            Assert.Equal(arms[i].GetProperty("lower").GetDouble(), arm.Lower, 12);
            Assert.Equal(arms[i].GetProperty("upper").GetDouble(), arm.Upper, 12);
            Assert.Equal(arms[i].GetProperty("probabilityBest").GetDouble(), arm.ProbabilityBest, 12);
        }
        // Format 1 kept no health counts: they come from the rollups of the log, once.
        Assert.Equal(await CountAsync($"SELECT COUNT(*) FROM bandits_rewards WHERE experiment_id = '{id}' AND source = 1"), after.Health!.DefaultRewards);
        long joined = await CountAsync($"SELECT COUNT(*) FROM bandits_rewards WHERE experiment_id = '{id}' AND source = 0 AND decision_seq IS NOT NULL");
        Assert.Equal(after.TotalRewards - joined - after.Health.DefaultRewards, after.Health.UnjoinedRewards);
    }

    [Fact]
    public async Task AMigratedExperimentIsRewrittenInFormat2AndKeepsLearning()
    {
        IExperimentGrain grain = cluster.Client.GetGrain<IExperimentGrain>("hero");
        ExperimentView view = (await grain.GetAsync())!;
        Assert.Equal(RewardKind.Binary, view.Definition.RewardKind);
        Assert.Equal(["control", "blue", "green", "red"], view.AllArms);
        Assert.Equal(2, view.Version);

        Decision decision = (await cluster.Client.GetGrain<IExperimentChooser>("hero").ChooseAsync("someone"))!;
        Assert.NotEqual("blue", decision.Arm); // retired before the upgrade
        int arm = view.AllArms.ToList().IndexOf("control");
        Assert.Equal(1, (await grain.RewardAsync([new RewardRecord(arm, 1, null)], view.Incarnation))!.Accepted);

        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(23, (await grain.GetStatisticsAsync())!.TotalRewards);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'experiment' AND GrainIdExtensionString = 'hero' AND PayloadBinary IS NOT NULL"));
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = '{SnapshotStore.StateName}' AND GrainIdExtensionString = 'hero'"));
    }

    /// <summary>Schema 013 counts the log written before it into the rollups, once, at both resolutions.</summary>
    [Theory]
    [InlineData("hero")]
    [InlineData("revenue")]
    public async Task TheRollupsOfAnEarlierLogCountItOnce(string id)
    {
        long decisions = await CountAsync($"SELECT COUNT(*) FROM bandits_decisions WHERE experiment_id = '{id}'");
        long rewards = await CountAsync($"SELECT COUNT(*) FROM bandits_rewards WHERE experiment_id = '{id}'");
        Assert.True(decisions > 0 && rewards > 0);
        foreach (int resolution in new[] { Rollups.Minute, Rollups.Hour })
        {
            Assert.Equal(decisions, await CountAsync($"SELECT SUM(decisions) FROM bandits_rollups WHERE experiment_id = '{id}' AND resolution = {resolution}"));
            Assert.Equal(rewards, await CountAsync($"SELECT SUM(rewards) FROM bandits_rollups WHERE experiment_id = '{id}' AND resolution = {resolution}"));
            Assert.Equal(
                await CountAsync($"SELECT ROUND(SUM(reward) * 1000) FROM bandits_rewards WHERE experiment_id = '{id}'"),
                await CountAsync($"SELECT ROUND(SUM(reward_sum) * 1000) FROM bandits_rollups WHERE experiment_id = '{id}' AND resolution = {resolution}"));
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
