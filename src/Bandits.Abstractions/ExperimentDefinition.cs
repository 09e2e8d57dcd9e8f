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
    public const long DefaultMinimumDecisionsPerArm = 0;
    public const double DefaultAcceptableLoss = 0.01;

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

    /// <summary>Burn-in: choices are uniform (propensity 1/K) until every active arm has this many decisions.</summary>
    [Id(7)] public long MinimumDecisionsPerArm { get; init; } = DefaultMinimumDecisionsPerArm;

    /// <summary>
    /// The recommendation is ready once the leader's expected loss is under this share of the
    /// best mean (and its P(best) ≥ 0.95, after the burn-in).
    /// </summary>
    [Id(8)] public double AcceptableLoss { get; init; } = DefaultAcceptableLoss;

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
        : MinimumDecisionsPerArm < 0 ? "minimumDecisionsPerArm must not be negative."
        : !(AcceptableLoss > 0 && AcceptableLoss < 1) ? "acceptableLoss must be in (0, 1)."
        : null;
}
