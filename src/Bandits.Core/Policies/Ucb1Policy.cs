namespace Bandits.Core.Policies;

/// <summary>
/// UCB1 (Auer, Cesa-Bianchi &amp; Fischer 2002, Figure 1): index x̄ᵢ + c·√(2 ln t / nᵢ), where
/// t is the total weight of the active arms. Binary rewards use c = 1 (rewards in [0, 1]).
/// Continuous rewards have no known range, so c is two pooled standard deviations, the range
/// that c = 1 stands for when the rewards are Bernoulli(½). With γ &lt; 1 the counts are
/// discounted, which is discounted UCB (Garivier &amp; Moulines 2008).
/// </summary>
public sealed class Ucb1Policy : IndexPolicy
{
    /// <inheritdoc />
    public override string Name => "ucb1";

    /// <inheritdoc />
    protected override void ComputeIndices(BanditState state, Span<double> indices)
    {
        double logT = Math.Log(Math.Max(1, state.ActiveWeight()));
        double scale = state.RewardKind == RewardKind.Binary ? 1 : 2 * Math.Sqrt(state.PooledEvidence().Variance);
        for (int i = 0; i < state.ArmCount; i++)
        {
            ArmEvidence e = state.Evidence(i);
            indices[i] = e.Weight > 0 ? e.Mean + scale * Math.Sqrt(2 * logT / e.Weight) : double.PositiveInfinity;
        }
    }
}
