namespace Bandits.Core.Policies;

/// <summary>The policies an experiment may use; <see cref="PolicyFactory"/> names and creates them.</summary>
public enum PolicyKind
{
    /// <summary>Thompson sampling (Beta–Bernoulli or Normal, by reward kind).</summary>
    Thompson,

    /// <summary>UCB1 (Auer, Cesa-Bianchi &amp; Fischer 2002).</summary>
    Ucb1,

    /// <summary>KL-UCB (Garivier &amp; Cappé 2011); binary rewards only.</summary>
    KlUcb,

    /// <summary>ε-greedy.</summary>
    EpsilonGreedy,
}
