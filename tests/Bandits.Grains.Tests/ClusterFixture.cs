using System.Security.Cryptography;
using Bandits.Grains;
using Bandits.Grains.Decisions;
using Bandits.Grains.Serving;
using Bandits.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Bandits.Grains.Tests;

/// <summary>
/// One in-process Orleans cluster of two silos for all grain tests, storing snapshots and the event log in
/// a real SQLite file, as the embedded server does. Tests use fresh experiment ids.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("bandits-grains-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public BanditsDatabase Database { get; private set; } = null!;

    public DecisionTokens Tokens { get; } = new(RandomNumberGenerator.GetBytes(32));

    public async Task InitializeAsync()
    {
        Database = BanditsDatabase.Embedded(directory);
        await SchemaMigrator.ApplyAsync(Database);
        // Two silos: each has its own choosers, leasing copies of the same experiment.
        Cluster = await StartAsync(Database, Tokens, silos: 2);
    }

    /// <summary>
    /// A cluster of <paramref name="silos"/> in-process silos storing everything in <paramref name="database"/>,
    /// as the embedded server does; <paramref name="configure"/> changes the experiments' timings.
    /// </summary>
    public static async Task<InProcessTestCluster> StartAsync(BanditsDatabase database, DecisionTokens tokens, int silos, Action<ExperimentGrainOptions>? configure = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.Options.ServiceId = "bandits"; // as the server's: grain storage rows are keyed by it
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAdoNetGrainStorage(ExperimentGrain.StorageName, o =>
            {
                o.Invariant = database.OrleansInvariant;
                o.ConnectionString = database.ConnectionString;
            });
            silo.Services.AddOptions<AdoNetGrainStorageOptions>(ExperimentGrain.StorageName)
                .Configure<Orleans.Serialization.Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            silo.Services.AddSingleton(tokens);
            var gate = WriteGate.For(database);
            silo.Services.AddSingleton(gate);
            silo.Services.AddSingleton<IExperimentLog>(new GatedExperimentLog(new SqlExperimentLog(database), gate));
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton<ExperimentMetrics>();
            silo.Services.AddSingleton<StorageWriteHealth>();
            silo.Services.AddChoiceServing();
            silo.Services.Configure<ExperimentGrainOptions>(o =>
            {
                o.ModelRefresh = TimeSpan.Zero;
                o.DecisionFlushInterval = TimeSpan.FromMilliseconds(100);
                o.DecisionLogInterval = TimeSpan.FromMilliseconds(100);
                configure?.Invoke(o);
            });
        });
        InProcessTestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Deactivates every grain, so the next call activates it from storage.</summary>
    public async Task DeactivateAllAsync()
    {
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
