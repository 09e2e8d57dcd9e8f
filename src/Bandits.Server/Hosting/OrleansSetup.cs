using System.Net;
using Bandits.Grains;
using Bandits.Grains.Decisions;
using Bandits.Grains.Serving;
using Bandits.Grains.Storage;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Bandits.Server.Hosting;

/// <summary>The co-hosted Orleans silo: clustering, grain storage and the grains' services.</summary>
public static class OrleansSetup
{
    public static WebApplicationBuilder AddBanditsSilo(this WebApplicationBuilder builder, BanditsDatabase database, byte[] signingKey)
    {
        var cluster = builder.Configuration.GetSection(BanditsClusterOptions.Section).Get<BanditsClusterOptions>() ?? new BanditsClusterOptions();
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(new DecisionTokens(signingKey));
        var gate = WriteGate.For(database);
        builder.Services.AddSingleton(gate);
        IExperimentLog log = new SqlExperimentLog(database);
        builder.Services.AddSingleton<IExperimentLog>(new GatedExperimentLog(log, gate));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ExperimentMetrics>();
        builder.Services.AddSingleton<StorageWriteHealth>();
        builder.Services.AddSingleton(new RollupReader(database));
        builder.Services.AddSingleton(new ExperimentCatalog(database));
        builder.Services.AddSingleton<Api.ExperimentPages>();
        DatabaseKeyRing.AddTo(builder.Services, database);
        builder.Services.AddSingleton<Analytics.HistoryService>();
        builder.Services.AddSingleton<Analytics.StatisticsFeed>();
        builder.Services.AddChoiceServing();
        builder.Services.AddOptions<ExperimentGrainOptions>().BindConfiguration("Experiments")
            .Validate(o => o.IsValid(), "Experiments: intervals must be positive and DecisionLeaseBlock at least 1.")
            .ValidateOnStart();

        builder.UseOrleans(silo =>
        {
            if (database.Kind == DatabaseKind.Postgres)
            {
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = database.OrleansInvariant;
                    o.ConnectionString = database.ConnectionString;
                });
                if (cluster.AdvertisedAddress is { } address)
                    silo.ConfigureEndpoints(IPAddress.Parse(address), cluster.SiloPort, cluster.GatewayPort);
                else
                    silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
                // How fast a dead silo is detected (and its experiments move): Orleans' defaults
                // unless Cluster:Membership overrides them (ProbeTimeout, NumMissedProbesLimit, …).
                silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Cluster:Membership"));
            }
            else
            {
                // One process owns the embedded file: a single-silo localhost cluster. Every grain
                // is local, so a cache of where grains live only costs memory (about 150 bytes
                // per active experiment).
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort);
                silo.Configure<GrainDirectoryOptions>(o => o.CachingStrategy = GrainDirectoryOptions.CachingStrategyType.None);
            }
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = "bandits";
            });
            silo.AddAdoNetGrainStorage(ExperimentGrain.StorageName, o =>
            {
                o.Invariant = database.OrleansInvariant;
                o.ConnectionString = database.ConnectionString;
            });
            // Database errors may cross silos inside Orleans' exceptions (a failed activation):
            // let Orleans carry the drivers' exception types too.
            silo.Services.Configure<ExceptionSerializationOptions>(o =>
            {
                o.SupportedNamespacePrefixes.Add("Npgsql");
                o.SupportedNamespacePrefixes.Add("Microsoft.Data.Sqlite");
            });
            // Orleans' own binary format keyed by the [Id]s and [Alias]es of the state types,
            // instead of JSON with CLR type names: renaming a class never breaks stored state.
            silo.Services.AddOptions<AdoNetGrainStorageOptions>(ExperimentGrain.StorageName)
                .Configure<Orleans.Serialization.Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        });
        return builder;
    }
}
