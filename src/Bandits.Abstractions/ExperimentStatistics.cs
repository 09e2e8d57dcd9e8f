namespace Bandits.Abstractions;

/// <summary>Per-arm statistics of an experiment (GET …/stats), with its lifecycle, a recommendation and the health of its log.</summary>
[GenerateSerializer, Immutable, Alias("bandits.experiment-statistics.v2")]
public sealed record ExperimentStatistics
{
    [Id(0)] public required string ExperimentId { get; init; }
    [Id(1)] public required Bandits.Core.Policies.PolicyKind Policy { get; init; }
    [Id(2)] public required long TotalDecisions { get; init; }
    [Id(3)] public required long TotalRewards { get; init; }
    [Id(4)] public required DateTimeOffset UpdatedAt { get; init; }
    [Id(5)] public required IReadOnlyList<ArmStatisticsView> Arms { get; init; }

    /// <summary>"running" or "concluded".</summary>
    [Id(6)] public string Status { get; init; } = ExperimentStatus.Running;

    /// <summary>The arm every choice answers while concluded, else null.</summary>
    [Id(7)] public string? Winner { get; init; }

    [Id(8)] public DateTimeOffset? ConcludedAt { get; init; }

    /// <summary>Null for statistics of a past moment (<c>?at=</c>), where only the posterior is known.</summary>
    [Id(9)] public Recommendation? Recommendation { get; init; }

    /// <summary>Null for statistics of a past moment.</summary>
    [Id(10)] public ExperimentHealth? Health { get; init; }

    /// <summary>For statistics of a past moment: the end of the last bucket they include; null for the present.</summary>
    [Id(11)] public DateTimeOffset? At { get; init; }
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

    /// <summary>The rewards' weight after discounting: what the posterior counts (<see cref="Rewards"/> when γ = 1).</summary>
    [Id(11)] public double EffectiveRewards { get; init; }

    /// <summary>The rewards' sum after discounting (<see cref="RewardSum"/> when γ = 1).</summary>
    [Id(12)] public double EffectiveRewardSum { get; init; }

    /// <summary>An arm's line from its posterior summary, its decisions and its traffic share: one mapping for the present and for past moments.</summary>
    public static ArmStatisticsView Of(Bandits.Core.Statistics.ArmSummary summary, long decisions, double trafficShare) => new()
    {
        Arm = summary.Name,
        Status = summary.Retired ? "retired" : "active",
        Decisions = decisions,
        Rewards = summary.Observations,
        RewardSum = summary.RewardSum,
        Mean = summary.Mean,
        Lower = summary.Lower,
        Upper = summary.Upper,
        ProbabilityBest = summary.ProbabilityBest,
        TrafficShare = trafficShare,
        ExpectedLoss = summary.ExpectedLoss,
        EffectiveRewards = summary.Evidence.Weight,
        EffectiveRewardSum = summary.Evidence.Sum,
    };
}

/// <summary>The statuses of an experiment's lifecycle.</summary>
public static class ExperimentStatus
{
    /// <summary>Learning: choices follow the policy.</summary>
    public const string Running = "running";

    /// <summary>An administrator named a winner: every choice answers it, rewards are still recorded.</summary>
    public const string Concluded = "concluded";
}

/// <summary>Which arm to ship, and whether the evidence is strong enough to (docs/api.md).</summary>
[GenerateSerializer, Immutable, Alias("bandits.recommendation.v1")]
public sealed record Recommendation
{
    /// <summary>The active arm most likely to be best, or null with no active arm.</summary>
    [Id(0)] public string? Winner { get; init; }
    [Id(1)] public required double ProbabilityBest { get; init; }

    /// <summary>E[max θ − θ_winner]: what choosing the winner costs in expectation, in reward units.</summary>
    [Id(2)] public required double ExpectedLoss { get; init; }
    [Id(3)] public required bool Ready { get; init; }

    /// <summary>Why it is or is not ready, in plain words.</summary>
    [Id(4)] public required string Reason { get; init; }
}

/// <summary>The integrity of the experiment's decision log (docs/api.md).</summary>
[GenerateSerializer, Immutable, Alias("bandits.experiment-health.v1")]
public sealed record ExperimentHealth
{
    /// <summary>Share of decisions that received a posted reward (0 without decisions).</summary>
    [Id(0)] public required double RewardedShare { get; init; }

    /// <summary>Rewards that arrived after their decision's window and were not learned from.</summary>
    [Id(1)] public required long LateRewards { get; init; }

    /// <summary>Default rewards given to decisions whose window closed without one.</summary>
    [Id(2)] public required long DefaultRewards { get; init; }

    /// <summary>Rewards posted by arm, without a decision id (they join no decision).</summary>
    [Id(3)] public required long UnjoinedRewards { get; init; }

    [Id(4)] public required IReadOnlyList<string> Warnings { get; init; }
}
