using Bandits.Core.Posteriors;

namespace Bandits.Core.Statistics;

/// <summary>
/// Analyst statistics of a state under the Bayesian model of its reward kind: Beta–Bernoulli
/// for binary rewards (Beta quantiles), Normal with unknown variance for continuous ones
/// (Student-t quantiles). The same model is used whatever policy chose the arms, so
/// experiments run with UCB or ε-greedy are read the same way.
/// </summary>
public static class PosteriorStatistics
{
    /// <summary>Credibility of the reported intervals.</summary>
    public const double IntervalLevel = 0.95;

    /// <summary>Summarises every arm, in arm-index order.</summary>
    public static ArmSummary[] Summarize(BanditState state, BetaPrior? betaPrior = null, NormalPrior? normalPrior = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.RewardKind == RewardKind.Binary)
        {
            BetaPrior prior = betaPrior ?? BetaPrior.Uniform;
            return Summarize(state, i => prior.Posterior(state.Evidence(i)));
        }
        NormalPrior normal = normalPrior ?? NormalPrior.Default;
        ArmEvidence pooled = state.PooledEvidence();
        return Summarize(state, i => normal.Posterior(state.Evidence(i), pooled));
    }

    private static ArmSummary[] Summarize<T>(BanditState state, Func<int, T> posteriorOf) where T : struct, IMeanPosterior
    {
        int count = state.ArmCount;
        var posteriors = new T[count];
        for (int i = 0; i < count; i++) posteriors[i] = posteriorOf(i);

        var active = new List<T>(state.ActiveArmCount);
        for (int i = 0; i < count; i++)
            if (state.IsActive(i)) active.Add(posteriors[i]);
        var best = new double[active.Count];
        double expectedMax = active.Count > 0
            ? ProbabilityOfBeingBest.Compute<T>(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(active), best)
            : 0;

        const double tail = (1 - IntervalLevel) / 2;
        var summaries = new ArmSummary[count];
        for (int i = 0, a = 0; i < count; i++)
        {
            ArmStatistics arm = state.Arms[i];
            T posterior = posteriors[i];
            summaries[i] = new ArmSummary(
                arm.Name,
                arm.Retired,
                arm.Observations,
                arm.RewardSum,
                posterior.Mean,
                posterior.Quantile(tail),
                posterior.Quantile(1 - tail),
                arm.Retired ? 0 : best[a++],
                active.Count > 0 ? Math.Max(0, expectedMax - posterior.Mean) : 0,
                state.Evidence(i));
        }
        return summaries;
    }
}
