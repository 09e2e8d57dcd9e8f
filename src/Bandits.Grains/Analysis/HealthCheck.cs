using Bandits.Abstractions;
using Bandits.Core.Statistics;
using static Bandits.Grains.Analysis.PlainNumbers;

namespace Bandits.Grains.Analysis;

/// <summary>
/// The integrity of an experiment's decision log, with warnings in plain words. The thresholds
/// are deliberately coarse: a warning should mean something is worth a look.
/// </summary>
internal static class HealthCheck
{
    /// <summary>Below this share of decisions rewarded (after <see cref="MinimumDecisions"/>), rewards are probably not being joined.</summary>
    public const double FewRewardsJoined = 0.05;

    /// <summary>A choice probability under this is a propensity too small for off-policy estimates to use well.</summary>
    public const double PropensityFloor = 0.01;

    /// <summary>An arm with less of the traffic than this while it may still be best is starved.</summary>
    public const double StarvedShare = 0.01;

    public const double StarvedProbabilityBest = 0.05;

    public const double TooManyLate = 0.05;

    /// <summary>No warning about shares before this many decisions.</summary>
    public const long MinimumDecisions = 100;

    /// <param name="arms">The posterior summaries, by arm index.</param>
    /// <param name="counts">What the log holds per arm index.</param>
    /// <param name="decisions">Decisions per arm index.</param>
    /// <param name="shares">Recent traffic share per arm index.</param>
    /// <param name="choice">Each arm's present probability of being chosen (null while concluded).</param>
    public static ExperimentHealth Check(
        IReadOnlyList<ArmSummary> arms, IReadOnlyList<ArmLogCounts> counts, IReadOnlyList<long> decisions, IReadOnlyList<double> shares,
        IReadOnlyList<double>? choice, ExperimentDefinition definition)
    {
        long totalDecisions = decisions.Sum(), joined = counts.Sum(c => c.Joined), defaults = counts.Sum(c => c.Defaults), late = counts.Sum(c => c.Late);
        long rewards = arms.Sum(a => a.Observations);
        double rewarded = totalDecisions > 0 ? Math.Min(1, (double)joined / totalDecisions) : 0;
        var warnings = new List<string>();
        bool trafficKnown = shares.Sum() > 0; // shares start over when the experiment is loaded without recent decisions
        if (totalDecisions >= MinimumDecisions && rewarded < FewRewardsJoined)
            warnings.Add($"Few rewards joined: only {Percent(rewarded)} of {totalDecisions} decisions received a reward with their decision id. Check that the app posts each reward with the decisionId it was given.");
        if (late + joined > 0 && (double)late / (late + joined) > TooManyLate)
            warnings.Add($"{Percent((double)late / (late + joined))} of rewards with a decision id arrived after the {definition.RewardWindowSeconds} s reward window and were not learned from: consider a longer rewardWindowSeconds.");
        for (int i = 0; i < arms.Count; i++)
        {
            if (arms[i].Retired) continue;
            if (trafficKnown && totalDecisions >= MinimumDecisions && shares[i] < StarvedShare && arms[i].ProbabilityBest >= StarvedProbabilityBest)
                warnings.Add($"Arm '{arms[i].Name}' is starved: it gets {Percent(shares[i])} of the traffic but may still be best (P(best) {Percent(arms[i].ProbabilityBest)}).");
            if (choice is not null && choice[i] < PropensityFloor)
                warnings.Add($"Arm '{arms[i].Name}' is chosen with probability {(choice[i] == 0 ? "0" : Percent(choice[i]))}, under the {Percent(PropensityFloor)} floor: off-policy estimates that need it will be noisy.");
        }
        return new ExperimentHealth
        {
            RewardedShare = rewarded,
            LateRewards = late,
            DefaultRewards = defaults,
            UnjoinedRewards = Math.Max(0, rewards - joined - defaults),
            Warnings = warnings,
        };
    }
}

/// <summary>What the log holds for one arm beyond the posterior: rewards with a decision id, default rewards, late rewards.</summary>
internal record struct ArmLogCounts(long Joined, long Defaults, long Late);
