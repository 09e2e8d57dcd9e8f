namespace Bandits.Grains;

/// <summary>Timings of an experiment grain (configuration section <c>Experiments</c>).</summary>
public sealed class ExperimentGrainOptions
{
    /// <summary>
    /// Longest time a copy of the model handed to the choosers is used: choices never miss a
    /// reward committed longer ago than this. Copies in use are renewed halfway through, so the
    /// grain sees about two renewals a second from each silo that serves the experiment, however
    /// many experiments it serves. A change of the arms or a delete does not wait for copies to
    /// expire: the silos are told to drop them (only one that does not confirm is waited out).
    /// </summary>
    public TimeSpan ServingLease { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Shortest time between two publications of a changed model (each computes every arm's probability of being chosen).</summary>
    public TimeSpan ModelRefresh { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>How often the learned state is snapshotted (replay after a crash covers at most this much).</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often decisions issued by idle choosers are handed to the grain (busy ones hand them over with every renewal).</summary>
    public TimeSpan DecisionFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest time decisions the grain took wait before it writes them to the log (at once when
    /// 1,000 wait). Each write is a transaction: with a thousand experiments choosing, their
    /// number a second is what bounded the choices the embedded database could serve. A crash
    /// loses at most about this plus <see cref="DecisionFlushInterval"/> of decision records,
    /// never a reward.
    /// </summary>
    public TimeSpan DecisionLogInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often decisions past their reward window get the default reward.</summary>
    public TimeSpan DefaultRewardSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Decision numbers reserved in the database at a time (one small write each); a crash skips at most this many.</summary>
    public long DecisionLeaseBlock { get; set; } = 1_000_000;

    /// <summary>Whether every setting is in range (positive intervals, a model refresh shorter than the serving lease, a lease block of at least 1).</summary>
    public bool IsValid() =>
        ServingLease > TimeSpan.Zero && ModelRefresh >= TimeSpan.Zero && ModelRefresh < ServingLease && SnapshotInterval > TimeSpan.Zero && DecisionFlushInterval > TimeSpan.Zero
        && DecisionLogInterval >= TimeSpan.Zero
        && DefaultRewardSweepInterval > TimeSpan.Zero && DecisionLeaseBlock >= 1;
}
