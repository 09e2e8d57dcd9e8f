namespace Bandits.Core.Policies;

/// <summary>
/// A rule that picks an arm from what a <see cref="BanditState"/> has learned. Policies hold
/// only their parameters; all learned data lives in the state, and all randomness comes from
/// the <see cref="Random"/> passed in, so a seeded run is reproducible.
/// </summary>
public interface IBanditPolicy
{
    /// <summary>The policy's name as the service and simulator spell it, e.g. <c>thompson</c>.</summary>
    string Name { get; }

    /// <summary>Picks an active arm and returns its index. Allocation-free.</summary>
    /// <exception cref="InvalidOperationException">The state has no active arm.</exception>
    int Choose(BanditState state, Random random);

    /// <summary>
    /// Writes, for every arm index, the probability that <see cref="Choose"/> picks it in the
    /// state as it is (the propensity for off-policy evaluation). Retired arms get 0.
    /// </summary>
    void ChoiceProbabilities(BanditState state, Span<double> probabilities);
}
