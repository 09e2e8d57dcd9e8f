namespace Bandits.Core.Policies;

/// <summary>
/// The one registry of policies: their names (as the API and the simulator spell them), which
/// reward kinds each supports, and how each is created.
/// </summary>
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

    private static readonly string[] NamesByKind = [Thompson, Ucb1, KlUcb, EpsilonGreedy];

    /// <summary>Every policy name, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Names => NamesByKind;

    /// <summary>The name of a policy: "thompson", "ucb1", "kl-ucb", "epsilon-greedy".</summary>
    public static string NameOf(PolicyKind policy) => NamesByKind[(int)Check(policy)];

    /// <summary>The policy of this name (exactly as <see cref="Names"/> spells it).</summary>
    public static bool TryParse(string? name, out PolicyKind policy)
    {
        int index = Array.IndexOf(NamesByKind, name);
        policy = (PolicyKind)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>Whether <paramref name="policy"/> can learn from rewards of this kind.</summary>
    public static bool Supports(PolicyKind policy, RewardKind rewardKind) =>
        Enum.IsDefined(policy) && Enum.IsDefined(rewardKind) && !(policy == PolicyKind.KlUcb && rewardKind != RewardKind.Binary);

    /// <summary>Whether the named policy can learn from rewards of this kind.</summary>
    public static bool Supports(string policy, RewardKind rewardKind) => TryParse(policy, out PolicyKind kind) && Supports(kind, rewardKind);

    /// <summary>Creates the named policy for rewards of the given kind.</summary>
    /// <exception cref="ArgumentException">Unknown name, or a policy that does not support the reward kind.</exception>
    public static IBanditPolicy Create(string policy, RewardKind rewardKind, PolicyOptions? options = null) =>
        TryParse(policy, out PolicyKind kind)
            ? Create(kind, rewardKind, options)
            : throw new ArgumentException($"Unknown policy '{policy}'; expected one of {string.Join(", ", Names)}.", nameof(policy));

    /// <summary>Creates the policy for rewards of the given kind.</summary>
    /// <exception cref="ArgumentException">A policy that does not support the reward kind.</exception>
    public static IBanditPolicy Create(PolicyKind policy, RewardKind rewardKind, PolicyOptions? options = null)
    {
        options ??= new PolicyOptions();
        if (!Supports(policy, rewardKind))
            throw new ArgumentException($"Policy '{NameOf(policy)}' does not support {rewardKind.ToString().ToLowerInvariant()} rewards.", nameof(policy));
        return policy switch
        {
            PolicyKind.Thompson when rewardKind == RewardKind.Binary => new ThompsonBernoulliPolicy(options.BetaPrior),
            PolicyKind.Thompson => new ThompsonGaussianPolicy(options.NormalPrior),
            PolicyKind.Ucb1 => new Ucb1Policy(),
            PolicyKind.KlUcb => new KlUcbPolicy(options.KlUcbC),
            _ => new EpsilonGreedyPolicy(options.EpsilonDecay is { } c ? EpsilonSchedule.Decaying(c) : EpsilonSchedule.Fixed(options.Epsilon)),
        };
    }

    private static PolicyKind Check(PolicyKind policy) =>
        Enum.IsDefined(policy) ? policy : throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown policy.");
}
