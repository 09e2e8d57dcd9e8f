namespace Bandits.Server.Hosting;

/// <summary>How this silo joins its cluster (configuration section <c>Cluster</c>).</summary>
public sealed class BanditsClusterOptions
{
    public const string Section = "Cluster";

    public string ClusterId { get; set; } = "bandits";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at; default: the machine's address.</summary>
    public string? AdvertisedAddress { get; set; }
}
