using Bandits.Core.Posteriors;

namespace Bandits.Core.Policies;

/// <summary>Parameters of the policies; each policy reads the ones it needs.</summary>
public sealed record PolicyOptions
{
    /// <summary>Fixed exploration rate of ε-greedy, in [0, 1].</summary>
    public double Epsilon { get; init; } = 0.1;

    /// <summary>If set, ε-greedy uses the decaying schedule εₜ = min(1, c·K/t) with this c instead.</summary>
    public double? EpsilonDecay { get; init; }

    /// <summary>Exploration constant c of KL-UCB's ln ln t term.</summary>
    public double KlUcbC { get; init; }

    /// <summary>Prior of Thompson sampling for binary rewards.</summary>
    public BetaPrior BetaPrior { get; init; } = BetaPrior.Uniform;

    /// <summary>Prior of Thompson sampling for continuous rewards.</summary>
    public NormalPrior NormalPrior { get; init; } = NormalPrior.Default;
}
