using Bandits.Core.Posteriors;

namespace Bandits.Core.Policies;

/// <summary>
/// Thompson sampling with a Beta–Bernoulli model (Thompson 1933; Agrawal &amp; Goyal 2012,
/// Algorithm 2 for rewards in [0, 1]): draw θᵢ ~ Beta(α₀ + Σr, β₀ + Σ(1 − r)) for every
/// active arm and play the largest. Asymptotically optimal for Bernoulli arms
/// (Kaufmann, Korda &amp; Munos 2012). Its choice probability for an arm is the posterior
/// probability that the arm is best.
/// </summary>
public sealed class ThompsonBernoulliPolicy : IBanditPolicy
{
    /// <summary>Creates the policy; the prior defaults to Beta(1, 1).</summary>
    public ThompsonBernoulliPolicy(BetaPrior? prior = null) => Prior = prior ?? BetaPrior.Uniform;

    /// <summary>The prior every arm starts from.</summary>
    public BetaPrior Prior { get; }

    /// <inheritdoc />
    public string Name => "thompson";

    /// <inheritdoc />
    public int Choose(BanditState state, Random random)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(random);
        RequireBinary(state);
        var best = new RandomArgMax();
        for (int i = 0; i < state.ArmCount; i++)
        {
            if (!state.IsActive(i)) continue;
            best.Offer(i, Prior.SamplePosterior(state.Evidence(i), random), random);
        }
        return best.Result;
    }

    /// <inheritdoc />
    public void ChoiceProbabilities(BanditState state, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(state);
        RequireBinary(state);
        PosteriorChoice.ProbabilityBest(state, i => Prior.Posterior(state.Evidence(i)), probabilities);
    }

    private static void RequireBinary(BanditState state)
    {
        if (state.RewardKind != RewardKind.Binary)
            throw new ArgumentException("The Beta–Bernoulli model needs binary rewards; use ThompsonGaussianPolicy for continuous ones.", nameof(state));
    }
}
