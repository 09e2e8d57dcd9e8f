using System.Security.Cryptography;
using Bandits.Abstractions;
using Bandits.Grains.Decisions;
using Bandits.Grains.Serving;
using Bandits.Grains.Storage;
using Orleans.TestingHost;

namespace Bandits.Grains.Tests;

/// <summary>
/// Changes reach every silo's copy without waiting for it to expire: on two silos whose copies
/// would last ten minutes, a PUT retiring an arm, a conclusion and a delete are each answered
/// within seconds, and no choice after the answer serves what they withdrew.
/// </summary>
public sealed class CopyWithdrawalTests : IAsyncLifetime
{
    private static readonly TimeSpan Answered = TimeSpan.FromSeconds(30); // far below the lease: the copies were dropped, not waited out

    private readonly string directory = Directory.CreateTempSubdirectory("bandits-withdrawal-").FullName;
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        var database = BanditsDatabase.Embedded(directory);
        await SchemaMigrator.ApplyAsync(database);
        cluster = await ClusterFixture.StartAsync(database, new DecisionTokens(RandomNumberGenerator.GetBytes(32)), silos: 2,
            o => o.ServingLease = TimeSpan.FromMinutes(10));
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task APutAConclusionAndADeleteReachEverySilosCopy()
    {
        IExperimentGrain grain = cluster.Client.GetGrain<IExperimentGrain>("withdrawn");
        await grain.PutAsync(new ExperimentDefinition { Arms = ["a", "b", "c"] });
        Assert.Contains("b", await ChooseManyAsync(grain)); // every silo serving holds a copy with "b"

        await grain.PutAsync(new ExperimentDefinition { Arms = ["a", "c"] }).WaitAsync(Answered);
        Assert.DoesNotContain("b", await ChooseManyAsync(grain));

        await grain.ConcludeAsync("c").WaitAsync(Answered);
        Assert.Equal(["c"], (await ChooseManyAsync(grain)).Distinct());

        await grain.DeleteAsync().WaitAsync(Answered);
        Assert.Null(await Chooser(grain).ChooseAsync(null));
    }

    /// <summary>Arms of 400 concurrent choices, which reach the choosers of both silos.</summary>
    private async Task<string[]> ChooseManyAsync(IExperimentGrain grain)
    {
        Decision?[] decisions = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => Chooser(grain).ChooseAsync(null)));
        return [.. decisions.Select(d => d!.Arm)];
    }

    private IExperimentChooser Chooser(IExperimentGrain grain) => cluster.Client.GetGrain<IExperimentChooser>(grain.GetPrimaryKeyString());
}
