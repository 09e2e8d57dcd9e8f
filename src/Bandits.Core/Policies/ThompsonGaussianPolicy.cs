using Bandits.Core.Posteriors;

namespace Bandits.Core.Policies;

/// <summary>
/// Thompson sampling for continuous rewards with a Normal model of unknown mean and variance:
/// each active arm's mean is drawn from its Student-t marginal posterior under the
/// scale-invariant <see cref="NormalPrior"/>, and the largest draw is played (Honda &amp;
/// Takemura 2014 study this model and why the variance prior matters).
/// </summary>
public sealed class ThompsonGaussianPolicy : IBanditPolicy
{
    /// <summary>Creates the policy; the prior defaults to <see cref="NormalPrior.Default"/>.</summary>
    public ThompsonGaussianPolicy(NormalPrior? prior = null) => Prior = prior ?? NormalPrior.Default;

    /// <summary>The prior every arm starts from.</summary>
    public NormalPrior Prior { get; }

    /// <inheritdoc />
    public string Name => "thompson";

    /// <inheritdoc />
    public int Choose(BanditState state, Random random)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(random);
        ArmEvidence pooled = state.PooledEvidence();
        var best = new RandomArgMax();
        for (int i = 0; i < state.ArmCount; i++)
        {
            if (!state.IsActive(i)) continue;
            best.Offer(i, Prior.SamplePosterior(state.Evidence(i), pooled, random), random);
        }
        return best.Result;
    }

    /// <inheritdoc />
    public void ChoiceProbabilities(BanditState state, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArmEvidence pooled = state.PooledEvidence();
        PosteriorChoice.ProbabilityBest(state, i => Prior.Posterior(state.Evidence(i), pooled), probabilities);
    }
}
