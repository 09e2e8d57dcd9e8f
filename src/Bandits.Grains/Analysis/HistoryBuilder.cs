using Bandits.Abstractions;
using Bandits.Core;
using Bandits.Core.Statistics;
using Bandits.Grains.Storage;

namespace Bandits.Grains.Analysis;

/// <summary>
/// Replays rollup buckets in time order into each arm's posterior evidence, the way the grain's
/// state learned it, and summarises the posterior at the end of each bucket with the same code
/// as the live statistics (<see cref="PosteriorStatistics"/>). Exact for γ = 1 (sums of rewards
/// and of their squares are all the posterior needs); for γ &lt; 1 the rewards inside one bucket
/// are taken to arrive at its middle, since their order within it is not kept.
/// </summary>
public sealed class HistoryBuilder
{
    private readonly ExperimentView experiment;
    private readonly ArmEvidence[] evidence;
    private readonly long[] observations;
    private readonly double[] sums;

    public HistoryBuilder(ExperimentView experiment)
    {
        this.experiment = experiment;
        int arms = experiment.AllArms.Count;
        (evidence, observations, sums) = (new ArmEvidence[arms], new long[arms], new double[arms]);
        Decisions = new long[arms];
    }

    private HistoryBuilder(HistoryBuilder other)
    {
        experiment = other.experiment;
        (evidence, observations, sums) = ((ArmEvidence[])other.evidence.Clone(), (long[])other.observations.Clone(), (double[])other.sums.Clone());
        Decisions = (long[])other.Decisions.Clone();
    }

    /// <summary>A copy that goes on from here independently.</summary>
    public HistoryBuilder Clone() => new(this);

    /// <summary>Decisions so far, per arm index.</summary>
    public long[] Decisions { get; }

    private double Discount => experiment.Definition.Discount;

    /// <summary>Adds one bucket's counts (per arm index; arms the experiment no longer knows are ignored).</summary>
    public void Add(IReadOnlyDictionary<int, RollupCounts> bucket)
    {
        long rewardsInBucket = bucket.Values.Sum(c => c.Rewards);
        if (Discount < 1 && rewardsInBucket > 0)
        {
            // Every reward discounts all evidence by γ: what came before the bucket by all of its
            // rewards, the bucket's own by half of them on average.
            double before = Math.Pow(Discount, rewardsInBucket);
            for (int i = 0; i < evidence.Length; i++)
                evidence[i] = evidence[i] with { Weight = evidence[i].Weight * before, SquaredDeviations = evidence[i].SquaredDeviations * before };
        }
        double within = Discount < 1 ? Math.Pow(Discount, (rewardsInBucket - 1) / 2.0) : 1;
        foreach ((int arm, RollupCounts counts) in bucket)
        {
            if ((uint)arm >= (uint)evidence.Length) continue;
            Decisions[arm] += counts.Decisions;
            if (counts.Rewards == 0) continue;
            observations[arm] += counts.Rewards;
            sums[arm] += counts.RewardSum;
            double mean = counts.RewardSum / counts.Rewards;
            double m2 = Math.Max(0, counts.RewardSumOfSquares - counts.RewardSum * mean);
            evidence[arm] = ArmEvidence.Combine(evidence[arm], new ArmEvidence(counts.Rewards * within, mean, m2 * within));
        }
    }

    /// <summary>The learned state so far, as the grain would hold it (without the lazy discount clock).</summary>
    public BanditState State()
    {
        var active = experiment.Definition.Arms.ToHashSet(StringComparer.Ordinal);
        var arms = new ArmStatistics[evidence.Length];
        for (int i = 0; i < arms.Length; i++)
        {
            string name = experiment.AllArms[i];
            // Binary means within [0, 1] and continuous ones within the bounds, as the state checks.
            double mean = experiment.Definition.RewardKind == RewardKind.Binary ? Math.Clamp(evidence[i].Mean, 0, 1) : evidence[i].Mean;
            arms[i] = new ArmStatistics(name, evidence[i].Weight, mean, evidence[i].SquaredDeviations, 0, observations[i], sums[i], !active.Contains(name));
        }
        return BanditState.Restore(experiment.Definition.RewardKind, Discount, 0, arms);
    }

    /// <summary>The posterior summaries of <see cref="State"/>, by arm index.</summary>
    public ArmSummary[] Summarize() => PosteriorStatistics.Summarize(State());
}
