using Bandits.Abstractions;
using Bandits.Core.Statistics;
using static Bandits.Grains.Analysis.PlainNumbers;

namespace Bandits.Grains.Analysis;

/// <summary>
/// Whether to ship the leader: ready when, after the burn-in, the active arm most likely to be
/// best has P(best) ≥ <see cref="RequiredProbabilityBest"/> and an expected loss (what choosing
/// it costs in expectation, E[max θ − θ_leader]) under the experiment's acceptable share of the
/// best mean. The two conditions together are the stopping rule of GrowthBook's and Statsig's
/// bandits (P(best)) and of Scott's "value remaining" (expected loss), which guards against
/// stopping on a near-tie where P(best) alone would never settle.
/// </summary>
internal static class RecommendationRule
{
    public const double RequiredProbabilityBest = 0.95;

    public static Recommendation Recommend(IReadOnlyList<ArmSummary> arms, IReadOnlyList<long> decisions, ExperimentDefinition definition)
    {
        int leader = -1;
        for (int i = 0; i < arms.Count; i++)
            if (!arms[i].Retired && (leader < 0 || arms[i].ProbabilityBest > arms[leader].ProbabilityBest)) leader = i;
        if (leader < 0)
            return new Recommendation { Winner = null, ProbabilityBest = 0, ExpectedLoss = 0, Ready = false, Reason = "The experiment has no active arm." };

        ArmSummary best = arms[leader];
        double bestMean = arms.Where(a => !a.Retired).Max(a => a.Mean);
        double allowed = definition.AcceptableLoss * Math.Abs(bestMean);
        long fewest = Enumerable.Range(0, arms.Count).Where(i => !arms[i].Retired).Min(i => decisions[i]);
        string leading = $"'{best.Name}' is best with probability {Percent(best.ProbabilityBest)}";
        string reason =
            fewest < definition.MinimumDecisionsPerArm
                ? $"Burn-in: every arm needs {definition.MinimumDecisionsPerArm} decisions; the fewest so far is {fewest}."
            : best.ProbabilityBest < RequiredProbabilityBest
                ? $"Not yet: {leading}; a recommendation needs {Percent(RequiredProbabilityBest)}."
            : !(best.ExpectedLoss < allowed)
                ? $"Not yet: {leading}, but choosing it may still cost {Amount(best.ExpectedLoss)} per decision in expectation, more than {Percent(definition.AcceptableLoss)} of the best mean ({Amount(allowed)})."
            : $"Ready: {leading}, and choosing it costs {Amount(best.ExpectedLoss)} per decision in expectation, under {Percent(definition.AcceptableLoss)} of the best mean.";
        return new Recommendation
        {
            Winner = best.Name,
            ProbabilityBest = best.ProbabilityBest,
            ExpectedLoss = best.ExpectedLoss,
            Ready = reason.StartsWith("Ready", StringComparison.Ordinal),
            Reason = reason,
        };
    }
}
