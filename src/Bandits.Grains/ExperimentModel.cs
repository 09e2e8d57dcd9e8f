using Bandits.Abstractions;
using Bandits.Core;
using Bandits.Core.Policies;
using Bandits.Core.Statistics;
using Bandits.Grains.Serving;
using Bandits.Grains.Storage;

namespace Bandits.Grains;

/// <summary>
/// An experiment's definition and learned state, in memory: the bridge between the stored
/// snapshot and Bandits.Core. No Orleans and no I/O here, so the grain stays thin.
/// </summary>
internal sealed class ExperimentModel
{
    private BanditState learned;
    private long[] decisions;

    private ExperimentModel(ExperimentDefinition definition, BanditState learned, long[] decisions, IBanditPolicy policy)
    {
        Definition = definition;
        this.learned = learned;
        this.decisions = decisions;
        Policy = policy;
    }

    public ExperimentDefinition Definition { get; private set; }

    public IBanditPolicy Policy { get; private set; }

    public BanditState Learned => learned;

    /// <summary>Changes whenever the learned state or the arm set changes; the serving copy refreshes on it.</summary>
    public long Revision { get; private set; }

    public long TotalDecisions => decisions.Sum();

    public static ExperimentModel Create(ExperimentDefinition definition)
    {
        var state = new BanditState(definition.RewardKind, definition.Discount, definition.Arms.Count);
        foreach (string arm in definition.Arms) state.AddArm(arm);
        return new ExperimentModel(definition, state, new long[state.ArmCount], CreatePolicy(definition));
    }

    public static ExperimentModel Restore(ExperimentState snapshot)
    {
        ExperimentDefinition definition = snapshot.Definition!;
        BanditState state = BanditState.Restore(definition.RewardKind, definition.Discount, snapshot.Step,
            snapshot.Arms.Select(a => new ArmStatistics(a.Name, a.Weight, a.Mean, a.SquaredDeviations, a.Step, a.Observations, a.RewardSum, a.Retired)));
        return new ExperimentModel(definition, state, snapshot.Arms.Select(a => a.Decisions).ToArray(), CreatePolicy(definition));
    }

    /// <summary>Applies a new definition: new arms start from the prior, dropped arms are retired, others keep their evidence.</summary>
    public void Redefine(ExperimentDefinition definition)
    {
        if (definition.Discount != learned.Discount)
            learned = BanditState.Restore(learned.RewardKind, definition.Discount, learned.Step, learned.Arms.ToArray());
        var wanted = definition.Arms.ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < learned.ArmCount; i++)
        {
            if (wanted.Contains(learned.Arms[i].Name)) learned.ReactivateArm(i);
            else learned.RetireArm(i);
        }
        foreach (string arm in definition.Arms)
            if (learned.IndexOf(arm) < 0) learned.AddArm(arm);
        Array.Resize(ref decisions, learned.ArmCount);
        Definition = definition;
        Policy = CreatePolicy(definition);
        Revision++;
    }

    public void Apply(LoggedReward reward)
    {
        learned.Observe(reward.ArmIndex, reward.Reward);
        Revision++;
    }

    public void CountDecision(int arm, int count = 1) => decisions[arm] += count;

    public void AddDecisionCounts(IReadOnlyDictionary<int, long> counts)
    {
        foreach ((int arm, long count) in counts)
            if (arm >= 0 && arm < decisions.Length) decisions[arm] += count;
    }

    /// <summary>A frozen copy for the choosers, with the exact probability of each arm under it.</summary>
    public ServingCopy Publish(ExperimentView view, long epoch)
    {
        var probabilities = new double[learned.ArmCount];
        Policy.ChoiceProbabilities(learned, probabilities);
        return new ServingCopy(view, epoch, learned.Step, learned.Arms.ToArray(), probabilities);
    }

    public IReadOnlyList<string> AllArms()
    {
        var names = new string[learned.ArmCount];
        for (int i = 0; i < names.Length; i++) names[i] = learned.Arms[i].Name;
        return names;
    }

    public ExperimentStatistics Statistics(string experimentId, IReadOnlyList<double> trafficShares, DateTimeOffset updatedAt)
    {
        ArmSummary[] summaries = PosteriorStatistics.Summarize(learned);
        return new ExperimentStatistics
        {
            ExperimentId = experimentId,
            Policy = Definition.Policy,
            TotalDecisions = TotalDecisions,
            TotalRewards = learned.Arms.ToArray().Sum(a => a.Observations),
            UpdatedAt = updatedAt,
            Arms = summaries.Select((s, i) => new ArmStatisticsView
            {
                Arm = s.Name,
                Status = s.Retired ? "retired" : "active",
                Decisions = decisions[i],
                Rewards = s.Observations,
                RewardSum = s.RewardSum,
                Mean = s.Mean,
                Lower = s.Lower,
                Upper = s.Upper,
                ProbabilityBest = s.ProbabilityBest,
                TrafficShare = i < trafficShares.Count ? trafficShares[i] : 0,
                ExpectedLoss = s.ExpectedLoss,
            }).ToList(),
        };
    }

    /// <summary>
    /// Writes the definition and learned state into a snapshot (bookkeeping fields are the
    /// grain's). Decision counts leave out <paramref name="unlogged"/> decisions: the snapshot
    /// counts exactly the logged decisions up to its <c>DecisionsCountedThrough</c>, so an
    /// activation that adds the ones logged after it counts each decision once.
    /// </summary>
    public void WriteTo(ExperimentState snapshot, IReadOnlyList<LoggedDecision> unlogged)
    {
        long[] counted = (long[])decisions.Clone();
        foreach (LoggedDecision decision in unlogged) counted[decision.ArmIndex]--;
        snapshot.Definition = Definition;
        snapshot.Step = learned.Step;
        snapshot.Arms = learned.Arms.ToArray().Select((a, i) => new ArmSnapshot
        {
            Name = a.Name,
            Weight = a.Weight,
            Mean = a.Mean,
            SquaredDeviations = a.SquaredDeviations,
            Step = a.Step,
            Observations = a.Observations,
            RewardSum = a.RewardSum,
            Retired = a.Retired,
            Decisions = counted[i],
        }).ToList();
    }

    public static IBanditPolicy CreatePolicy(ExperimentDefinition definition) =>
        PolicyFactory.Create(definition.Policy, definition.RewardKind, new PolicyOptions { Epsilon = definition.Epsilon });
}
