namespace Bandits.Core;

/// <summary>What a reward is, which decides the posterior model and the valid range (<see cref="RewardBounds"/>).</summary>
public enum RewardKind
{
    /// <summary>A reward in [0, 1]: a click, a conversion, or a fraction of one. Beta–Bernoulli model.</summary>
    Binary,

    /// <summary>A number of magnitude at most <see cref="RewardBounds.MaxMagnitude"/>, such as revenue. Normal model with unknown mean and variance.</summary>
    Continuous,
}
