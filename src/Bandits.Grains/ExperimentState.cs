namespace Bandits.Grains;

/// <summary>
/// The snapshot of an experiment kept in Orleans grain storage. Together with the reward
/// events logged after <see cref="AppliedEventNumber"/> it rebuilds the experiment exactly.
/// Never renumber an [Id]: stored snapshots must load after an upgrade.
/// </summary>
[GenerateSerializer, Alias("bandits.experiment-state.v1")]
public sealed class ExperimentState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public Abstractions.ExperimentDefinition? Definition { get; set; }
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public int Version { get; set; }
    [Id(4)] public long Incarnation { get; set; }

    /// <summary>Every arm ever defined, by index; retired ones keep their statistics.</summary>
    [Id(5)] public List<ArmSnapshot> Arms { get; set; } = [];

    /// <summary>The discount clock of the learned state.</summary>
    [Id(6)] public long Step { get; set; }

    /// <summary>The last reward event folded into <see cref="Arms"/>.</summary>
    [Id(7)] public long AppliedEventNumber { get; set; }

    /// <summary>
    /// Decision sequence numbers below this are leased: they may have been issued. A new
    /// activation starts issuing here, so a number is never issued twice, even after a crash.
    /// </summary>
    [Id(8)] public long DecisionLeaseEnd { get; set; }

    /// <summary>
    /// Decisions logged up to this position of the decision log (its <c>log_no</c>, the order
    /// in which the grain logged them) are included in the arms' decision counts.
    /// </summary>
    [Id(9)] public long DecisionsCountedThrough { get; set; }

    /// <summary>Decisions logged up to this position of the decision log have had their default reward considered.</summary>
    [Id(10)] public long DefaultsSweptThrough { get; set; }

    /// <summary>When the definition or the learned state last changed.</summary>
    [Id(11)] public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One arm in a snapshot: Bandits.Core's statistics plus its decision count.</summary>
[GenerateSerializer, Alias("bandits.arm-snapshot.v1")]
public sealed class ArmSnapshot
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public double Weight { get; set; }
    [Id(2)] public double Mean { get; set; }
    [Id(3)] public double SquaredDeviations { get; set; }
    [Id(4)] public long Step { get; set; }
    [Id(5)] public long Observations { get; set; }
    [Id(6)] public double RewardSum { get; set; }
    [Id(7)] public bool Retired { get; set; }
    [Id(8)] public long Decisions { get; set; }
}
