using Bandits.Core;
using Bandits.Core.Policies;

namespace Bandits.Abstractions;

/// <summary>
/// What an administrator sets for an experiment (the body of PUT /v1/experiments/{id}). The
/// defaults of every optional setting are the constants here, and nowhere else.
/// </summary>
[GenerateSerializer, Immutable, Alias("bandits.experiment-definition.v2")]
public sealed record ExperimentDefinition
{
    public const PolicyKind DefaultPolicy = PolicyKind.Thompson;
    public const RewardKind DefaultRewardKind = RewardKind.Binary;
    public const long DefaultRewardWindowSeconds = 86_400;
    public const double DefaultEpsilon = 0.1;
    public const double DefaultDiscount = 1.0;

    /// <summary>Names of the active arms, in order.</summary>
    [Id(0)] public required IReadOnlyList<string> Arms { get; init; }

    [Id(1)] public PolicyKind Policy { get; init; } = DefaultPolicy;

    [Id(2)] public RewardKind RewardKind { get; init; } = DefaultRewardKind;

    /// <summary>Reward given to a decision that receives none within the window; null for none. In <see cref="RewardBounds"/>.</summary>
    [Id(3)] public double? DefaultReward { get; init; }

    /// <summary>How long a decision may be rewarded.</summary>
    [Id(4)] public long RewardWindowSeconds { get; init; } = DefaultRewardWindowSeconds;

    /// <summary>ε of epsilon-greedy.</summary>
    [Id(5)] public double Epsilon { get; init; } = DefaultEpsilon;

    /// <summary>Discount factor γ ∈ (0, 1].</summary>
    [Id(6)] public double Discount { get; init; } = DefaultDiscount;

    /// <summary>
    /// Why this definition cannot be applied, or null if it can: the invariants the grain
    /// enforces whatever its caller checked (the HTTP layer gives field-by-field messages first).
    /// </summary>
    public string? Problem() =>
        Arms is not { Count: > 0 } ? "An experiment needs at least one arm."
        : !PolicyFactory.Supports(Policy, RewardKind) ? $"Policy '{PolicyFactory.NameOf(Policy)}' does not support {RewardKind.ToString().ToLowerInvariant()} rewards."
        : DefaultReward is { } reward && !RewardBounds.IsValid(RewardKind, reward) ? $"defaultReward must be {RewardBounds.Describe(RewardKind)}."
        : RewardWindowSeconds < 1 ? "rewardWindowSeconds must be at least 1."
        : !(Epsilon >= 0 && Epsilon <= 1) ? "epsilon must be in [0, 1]."
        : !(Discount > 0 && Discount <= 1) ? "discount must be in (0, 1]."
        : null;
}
