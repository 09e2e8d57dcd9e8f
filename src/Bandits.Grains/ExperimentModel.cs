using Bandits.Abstractions;
using Bandits.Core;
using Bandits.Core.Policies;
using Bandits.Core.Statistics;
using Bandits.Grains.Serving;
using Bandits.Grains.Commit;
using Bandits.Grains.Storage;

namespace Bandits.Grains;

/// <summary>
/// An experiment in memory: its identity, definition, learned state and decision counts, the
/// bridge between the stored snapshot and Bandits.Core. No Orleans and no I/O here.
/// </summary>
internal sealed class ExperimentModel
{
    private BanditState learned;
    private long[] decisions;
    private TrafficTally? traffic; // made at the first decision: experiments only read need none

    private ExperimentModel(string id, ExperimentSnapshot stored, BanditState learned)
    {
        Id = id;
        Definition = stored.Definition;
        CreatedAt = stored.CreatedAt;
        Version = stored.Version;
        Incarnation = stored.Incarnation;
        UpdatedAt = stored.UpdatedAt;
        this.learned = learned;
        decisions = (long[])stored.Decisions.Clone();
        Array.Resize(ref decisions, learned.ArmCount);
        Policy = CreatePolicy(stored.Definition);
    }

    public string Id { get; }

    public ExperimentDefinition Definition { get; private set; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>The definition's version (see <see cref="ExperimentSnapshot"/> for every counter).</summary>
    public int Version { get; private set; }

    public long Incarnation { get; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public IBanditPolicy Policy { get; private set; }

    public BanditState Learned => learned;

    /// <summary>Changes whenever the learned state or the arm set changes; serving copies and snapshots follow it.</summary>
    public long Revision { get; private set; }

    /// <summary>A new experiment with no evidence.</summary>
    /// <exception cref="ArgumentException">The definition breaks an invariant (<see cref="ExperimentDefinition.Problem"/>).</exception>
    public static ExperimentModel Create(string id, ExperimentDefinition definition, DateTimeOffset now)
    {
        if (definition.Problem() is { } problem) throw new ArgumentException(problem, nameof(definition));
        var state = new BanditState(definition.RewardKind, definition.Discount, definition.Arms.Count);
        foreach (string arm in definition.Arms) state.AddArm(arm);
        var stored = new ExperimentSnapshot
        {
            Definition = definition, CreatedAt = now, Version = 1, Incarnation = now.UtcTicks, UpdatedAt = now,
            Step = 0, Arms = [], Decisions = [], AppliedEventNumber = 0, DecisionsCountedThrough = 0, DefaultsSweptThrough = 0, NumbersReserved = 0,
        };
        return new ExperimentModel(id, stored, state);
    }

    /// <summary>The experiment as stored (before the log after the snapshot is replayed).</summary>
    public static ExperimentModel Restore(string id, ExperimentSnapshot stored) =>
        new(id, stored, BanditState.Restore(stored.Definition.RewardKind, stored.Definition.Discount, stored.Step, stored.Arms));

    /// <summary>Why <paramref name="definition"/> cannot replace the current one, or null if it can.</summary>
    public string? Conflict(ExperimentDefinition definition) => definition.RewardKind == Definition.RewardKind ? null
        : $"The reward kind of experiment '{Id}' is '{Definition.RewardKind.ToString().ToLowerInvariant()}' and cannot be changed.";

    /// <summary>Applies a new definition: new arms start from the prior, dropped arms are retired, others keep their evidence.</summary>
    /// <exception cref="ArgumentException">The definition breaks an invariant; nothing changed.</exception>
    public void Redefine(ExperimentDefinition definition, DateTimeOffset now)
    {
        if (definition.Problem() is { } problem) throw new ArgumentException(problem, nameof(definition));
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
        Version++;
        UpdatedAt = now;
        Revision++;
    }

    public void Apply(LoggedReward reward)
    {
        learned.Observe(reward.ArmIndex, reward.Reward);
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reward.ReceivedAt);
        Revision++;
    }

    /// <summary>Counts a decision a chooser issued; false for an arm index this experiment does not have.</summary>
    public bool CountIssued(int arm)
    {
        if ((uint)arm >= (uint)decisions.Length) return false;
        decisions[arm]++;
        (traffic ??= new TrafficTally()).Count(arm);
        return true;
    }

    /// <summary>Takes back the count of a decision that was handed back twice (the log has it once).</summary>
    public void Uncount(int arm) => decisions[arm]--;

    public void AddDecisionCounts(IReadOnlyDictionary<int, long> counts)
    {
        foreach ((int arm, long count) in counts)
            if (arm >= 0 && arm < decisions.Length) decisions[arm] += count;
    }

    /// <summary>A frozen copy for the choosers, with the exact probability of each arm under it.</summary>
    public ServingCopy Publish(long publication)
    {
        var probabilities = new double[learned.ArmCount];
        Policy.ChoiceProbabilities(learned, probabilities);
        return new ServingCopy(View(), publication, probabilities);
    }

    public ExperimentView View()
    {
        var names = new string[learned.ArmCount];
        for (int i = 0; i < names.Length; i++) names[i] = learned.Arms[i].Name;
        return new ExperimentView
        {
            Id = Id, Definition = Definition, Status = "running", CreatedAt = CreatedAt, Version = Version, Incarnation = Incarnation, AllArms = names,
        };
    }

    public ExperimentStatistics Statistics()
    {
        ArmSummary[] summaries = PosteriorStatistics.Summarize(learned);
        IReadOnlyList<double> shares = (traffic ?? new TrafficTally()).Shares(learned.ArmCount);
        return new ExperimentStatistics
        {
            ExperimentId = Id,
            Policy = Definition.Policy,
            TotalDecisions = decisions.Sum(),
            TotalRewards = summaries.Sum(s => s.Observations),
            UpdatedAt = UpdatedAt,
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
                TrafficShare = shares[i],
                ExpectedLoss = s.ExpectedLoss,
            }).ToList(),
        };
    }

    /// <summary>
    /// The snapshot of this experiment at <paramref name="position"/>. Decision counts leave out
    /// the <paramref name="unlogged"/> decisions: a snapshot counts exactly the logged decisions
    /// through its <see cref="ExperimentSnapshot.DecisionsCountedThrough"/>, so an activation that
    /// adds the ones logged after it counts each decision once.
    /// </summary>
    public ExperimentSnapshot ToSnapshot(LogPosition position, IReadOnlyList<LoggedDecision> unlogged, long numbersReserved)
    {
        long[] counted = (long[])decisions.Clone();
        foreach (LoggedDecision decision in unlogged) counted[decision.ArmIndex]--;
        return new ExperimentSnapshot
        {
            Definition = Definition,
            CreatedAt = CreatedAt,
            Version = Version,
            Incarnation = Incarnation,
            UpdatedAt = UpdatedAt,
            Step = learned.Step,
            Arms = learned.Arms.ToArray(),
            Decisions = counted,
            AppliedEventNumber = position.AppliedEventNumber,
            DecisionsCountedThrough = position.NextLogNumber - 1,
            DefaultsSweptThrough = position.DefaultsSweptThrough,
            NumbersReserved = numbersReserved,
        };
    }

    public static IBanditPolicy CreatePolicy(ExperimentDefinition definition) =>
        PolicyFactory.Create(definition.Policy, definition.RewardKind, new PolicyOptions { Epsilon = definition.Epsilon });
}
