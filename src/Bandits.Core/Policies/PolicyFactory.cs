namespace Bandits.Core.Policies;

/// <summary>Creates policies by the names the service and the simulator use.</summary>
public static class PolicyFactory
{
    /// <summary>Thompson sampling (Beta–Bernoulli or Normal, by reward kind).</summary>
    public const string Thompson = "thompson";

    /// <summary>UCB1.</summary>
    public const string Ucb1 = "ucb1";

    /// <summary>KL-UCB (binary rewards).</summary>
    public const string KlUcb = "kl-ucb";

    /// <summary>ε-greedy.</summary>
    public const string EpsilonGreedy = "epsilon-greedy";

    /// <summary>Every policy name, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [Thompson, Ucb1, KlUcb, EpsilonGreedy];

    /// <summary>Whether <paramref name="policy"/> can learn from rewards of this kind.</summary>
    public static bool Supports(string policy, RewardKind rewardKind) =>
        Names.Contains(policy) && !(policy == KlUcb && rewardKind != RewardKind.Binary);

    /// <summary>Creates the named policy for rewards of the given kind.</summary>
    /// <exception cref="ArgumentException">Unknown name, or a policy that does not support the reward kind.</exception>
    public static IBanditPolicy Create(string policy, RewardKind rewardKind, PolicyOptions? options = null)
    {
        options ??= new PolicyOptions();
        if (!Names.Contains(policy))
            throw new ArgumentException($"Unknown policy '{policy}'; expected one of {string.Join(", ", Names)}.", nameof(policy));
        if (!Supports(policy, rewardKind))
            throw new ArgumentException($"Policy '{policy}' does not support {rewardKind.ToString().ToLowerInvariant()} rewards.", nameof(policy));
        return policy switch
        {
            Thompson when rewardKind == RewardKind.Binary => new ThompsonBernoulliPolicy(options.BetaPrior),
            Thompson => new ThompsonGaussianPolicy(options.NormalPrior),
            Ucb1 => new Ucb1Policy(),
            KlUcb => new KlUcbPolicy(options.KlUcbC),
            _ => new EpsilonGreedyPolicy(options.EpsilonDecay is { } c ? EpsilonSchedule.Decaying(c) : EpsilonSchedule.Fixed(options.Epsilon)),
        };
    }
}
