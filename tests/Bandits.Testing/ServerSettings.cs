namespace Bandits.Testing;

/// <summary>
/// The configuration of a test server, whether it runs in the test process or as its own: free
/// silo and gateway ports, its own cluster id, storage in a directory or a PostgreSQL database,
/// the test keys, and short intervals.
/// </summary>
public static class ServerSettings
{
    /// <summary>Configuration keys (sections joined by ':') and values.</summary>
    public static Dictionary<string, string> Create(string dataDirectory, string? postgres, int httpPort, bool withKeys = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["environment"] = "Production",
            ["Urls"] = $"http://127.0.0.1:{httpPort}",
            ["Storage:Provider"] = postgres is null ? "Embedded" : "Postgres",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Cluster:SiloPort"] = FreePorts.Next().ToString(),
            ["Cluster:GatewayPort"] = FreePorts.Next().ToString(),
            ["Cluster:AdvertisedAddress"] = "127.0.0.1",
            ["Cluster:ClusterId"] = $"test-{Guid.NewGuid():N}",
            ["Experiments:SnapshotInterval"] = "00:00:01",
        };
        if (postgres is not null) settings["Storage:ConnectionString"] = postgres;
        if (withKeys) foreach ((string key, string value) in TestKeys.Settings()) settings[key] = value;
        return settings;
    }

    /// <summary>Shorter timers for the contract tests: default rewards and model epochs within tenths of a second.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fast = new Dictionary<string, string>
    {
        ["Experiments:DefaultRewardSweepInterval"] = "00:00:00.200",
        ["Experiments:ModelRefresh"] = "00:00:00.050",
    };
}
