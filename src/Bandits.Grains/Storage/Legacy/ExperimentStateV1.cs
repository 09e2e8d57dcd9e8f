using Bandits.Core;
using Bandits.Core.Policies;

namespace Bandits.Grains.Storage.Legacy;

/// <summary>
/// The snapshot format before format 2 (<see cref="ExperimentSnapshot"/>): read once, when an
/// experiment stored by an earlier version activates, and then rewritten in format 2. The
/// field ids are those it was written with; never change them.
/// </summary>
[GenerateSerializer, Alias("bandits.experiment-state.v1")]
public sealed class ExperimentStateV1
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public ExperimentDefinitionV1? Definition { get; set; }
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public int Version { get; set; }
    [Id(4)] public long Incarnation { get; set; }
    [Id(5)] public List<ArmSnapshotV1> Arms { get; set; } = [];
    [Id(6)] public long Step { get; set; }
    [Id(7)] public long AppliedEventNumber { get; set; }
    [Id(8)] public long DecisionLeaseEnd { get; set; }
    [Id(9)] public long DecisionsCountedThrough { get; set; }
    [Id(10)] public long DefaultsSweptThrough { get; set; }
    [Id(11)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The same experiment in format 2.</summary>
    public ExperimentSnapshot ToSnapshot()
    {
        ExperimentDefinitionV1 old = Definition ?? throw new InvalidOperationException("A stored experiment has no definition.");
        if (!PolicyFactory.TryParse(old.Policy, out PolicyKind policy))
            throw new InvalidOperationException($"A stored experiment names an unknown policy '{old.Policy}'.");
        return new ExperimentSnapshot
        {
            Definition = new Abstractions.ExperimentDefinition
            {
                Arms = old.Arms,
                Policy = policy,
                RewardKind = old.RewardKind == "continuous" ? RewardKind.Continuous : RewardKind.Binary,
                DefaultReward = old.DefaultReward,
                RewardWindowSeconds = old.RewardWindowSeconds,
                Epsilon = old.Epsilon,
                Discount = old.Discount,
            },
            CreatedAt = CreatedAt,
            Version = Version,
            Incarnation = Incarnation,
            UpdatedAt = UpdatedAt,
            Step = Step,
            Arms = Arms.Select(a => new ArmStatistics(a.Name, a.Weight, a.Mean, a.SquaredDeviations, a.Step, a.Observations, a.RewardSum, a.Retired)).ToArray(),
            Decisions = Arms.Select(a => a.Decisions).ToArray(),
            AppliedEventNumber = AppliedEventNumber,
            DecisionsCountedThrough = DecisionsCountedThrough,
            DefaultsSweptThrough = DefaultsSweptThrough,
            NumbersReserved = DecisionLeaseEnd,
        };
    }
}

/// <summary>An experiment's definition as format 1 stored it (policy and reward kind as names).</summary>
[GenerateSerializer, Immutable, Alias("bandits.experiment-definition.v1")]
public sealed record ExperimentDefinitionV1
{
    [Id(0)] public IReadOnlyList<string> Arms { get; init; } = [];
    [Id(1)] public string Policy { get; init; } = "thompson";
    [Id(2)] public string RewardKind { get; init; } = "binary";
    [Id(3)] public double? DefaultReward { get; init; }
    [Id(4)] public long RewardWindowSeconds { get; init; } = 86_400;
    [Id(5)] public double Epsilon { get; init; } = 0.1;
    [Id(6)] public double Discount { get; init; } = 1.0;
}

/// <summary>One arm as format 1 stored it.</summary>
[GenerateSerializer, Alias("bandits.arm-snapshot.v1")]
public sealed class ArmSnapshotV1
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
