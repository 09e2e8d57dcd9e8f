namespace Bandits.Grains;

/// <summary>Timings of an experiment grain (configuration section <c>Experiments</c>).</summary>
public sealed class ExperimentGrainOptions
{
    /// <summary>Longest time choices are drawn from a model older than the latest reward.</summary>
    public TimeSpan ModelRefresh { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the learned state is snapshotted (replay after a crash covers at most this much).</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often issued decisions are written to the log.</summary>
    public TimeSpan DecisionFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often decisions past their reward window get the default reward.</summary>
    public TimeSpan DefaultRewardSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Decision numbers leased per snapshot write; a crash skips at most this many.</summary>
    public long DecisionLeaseBlock { get; set; } = 1_000_000;

    /// <summary>Whether every setting is in range (positive intervals, a lease block of at least 1).</summary>
    public bool IsValid() =>
        ModelRefresh >= TimeSpan.Zero && SnapshotInterval > TimeSpan.Zero && DecisionFlushInterval > TimeSpan.Zero
        && DefaultRewardSweepInterval > TimeSpan.Zero && DecisionLeaseBlock >= 1;
}
