namespace Bandits.Abstractions;

/// <summary>Per-arm statistics of an experiment (GET …/stats).</summary>
[GenerateSerializer, Immutable, Alias("bandits.experiment-statistics.v2")]
public sealed record ExperimentStatistics
{
    [Id(0)] public required string ExperimentId { get; init; }
    [Id(1)] public required Bandits.Core.Policies.PolicyKind Policy { get; init; }
    [Id(2)] public required long TotalDecisions { get; init; }
    [Id(3)] public required long TotalRewards { get; init; }
    [Id(4)] public required DateTimeOffset UpdatedAt { get; init; }
    [Id(5)] public required IReadOnlyList<ArmStatisticsView> Arms { get; init; }
}

/// <summary>One arm's line of <see cref="ExperimentStatistics"/>.</summary>
[GenerateSerializer, Immutable, Alias("bandits.arm-statistics.v1")]
public sealed record ArmStatisticsView
{
    [Id(0)] public required string Arm { get; init; }
    [Id(1)] public required string Status { get; init; }
    [Id(2)] public required long Decisions { get; init; }
    [Id(3)] public required long Rewards { get; init; }
    [Id(4)] public required double RewardSum { get; init; }
    [Id(5)] public required double Mean { get; init; }
    [Id(6)] public required double Lower { get; init; }
    [Id(7)] public required double Upper { get; init; }
    [Id(8)] public required double ProbabilityBest { get; init; }
    [Id(9)] public required double TrafficShare { get; init; }
    [Id(10)] public required double ExpectedLoss { get; init; }
}
