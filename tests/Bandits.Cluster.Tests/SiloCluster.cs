namespace Bandits.Cluster.Tests;

/// <summary>Several real server processes forming one Orleans cluster on one PostgreSQL database.</summary>
public sealed class SiloCluster : IAsyncDisposable
{
    private readonly List<ServerProcess> silos;
    private readonly List<string> directories;

    private SiloCluster(List<ServerProcess> silos, List<string> directories)
    {
        this.silos = silos;
        this.directories = directories;
    }

    public int Count => silos.Count;

    public ServerProcess this[int silo] => silos[silo];

    /// <summary>
    /// Membership timings shortened so a killed silo is declared dead in seconds: probes every
    /// second, dead after 2 missed probes and 2 votes. Production keeps Orleans' defaults.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> FastMembership = new Dictionary<string, string>
    {
        ["Cluster__Membership__ProbeTimeout"] = "00:00:01",
        ["Cluster__Membership__NumMissedProbesLimit"] = "2",
        ["Cluster__Membership__TableRefreshTimeout"] = "00:00:01",
        ["Cluster__Membership__IAmAliveTablePublishTimeout"] = "00:00:05",
        ["Experiments__SnapshotInterval"] = "00:00:01",
    };

    public static async Task<SiloCluster> StartAsync(string connectionString, int count)
    {
        string clusterId = $"cluster-{Guid.NewGuid():N}"[..20];
        var silos = new List<ServerProcess>();
        var directories = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string directory = Directory.CreateTempSubdirectory("bandits-silo-").FullName;
            var settings = new Dictionary<string, string>(FastMembership) { ["Cluster__ClusterId"] = clusterId };
            ServerProcess silo = ServerProcess.Create(directory, connectionString, settings);
            await silo.StartAsync();
            silos.Add(silo);
            directories.Add(directory);
        }
        return new SiloCluster(silos, directories);
    }

    public HttpClient Client(int silo) => silos[silo].Client();

    public async ValueTask DisposeAsync()
    {
        foreach (ServerProcess silo in silos) await silo.DisposeAsync();
        foreach (string directory in directories)
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
