using Bandits.Abstractions;
using Bandits.Core;
using Bandits.Core.Policies;
using Bandits.Core.Statistics;
using Bandits.Grains.Analysis;
using Bandits.Grains.Serving;
using Bandits.Grains.Commit;
using Bandits.Grains.Storage;

namespace Bandits.Grains;

/// <summary>
/// An experiment in memory: its identity, definition, lifecycle, learned state and decision
/// counts, the bridge between the stored snapshot and Bandits.Core. No Orleans and no I/O here.
/// </summary>
internal sealed class ExperimentModel
{
    private BanditState learned;
    private long[] decisions;
    private ArmLogCounts[] logCounts; // kept in the snapshot
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
        logCounts = new ArmLogCounts[learned.ArmCount];
        LogCountsKept = stored.JoinedRewards is not null;
        for (int i = 0; i < logCounts.Length && LogCountsKept; i++)
            logCounts[i] = new ArmLogCounts(At(stored.JoinedRewards, i), At(stored.DefaultRewards, i), At(stored.LateRewards, i));
        Winner = stored.Winner;
        ConcludedAt = stored.ConcludedAt;
        Policy = CreatePolicy(stored.Definition);
        InBurnIn = ComputeInBurnIn();
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

    /// <summary>The arm every choice answers while concluded, else null.</summary>
    public string? Winner { get; private set; }

    public DateTimeOffset? ConcludedAt { get; private set; }

    /// <summary>Whether choices are uniform because an active arm has fewer than the minimum decisions.</summary>
    public bool InBurnIn { get; private set; }

    /// <summary>Changes whenever the learned state or the arm set changes; serving copies and snapshots follow it.</summary>
    public long Revision { get; private set; }

    /// <summary>Changes whenever a count changes without the learned state (decisions, late rewards): live statistics follow it and <see cref="Revision"/>.</summary>
    public long Tally { get; private set; }

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
        Array.Resize(ref logCounts, learned.ArmCount);
        if (Winner is not null && !definition.Arms.Contains(Winner, StringComparer.Ordinal)) (Winner, ConcludedAt) = (null, null); // its arm was retired
        Definition = definition;
        Policy = CreatePolicy(definition);
        InBurnIn = ComputeInBurnIn();
        Version++;
        UpdatedAt = now;
        Revision++;
    }

    /// <summary>Concludes with <paramref name="winner"/>; false if it is not an active arm.</summary>
    public bool Conclude(string winner, DateTimeOffset now)
    {
        int arm = learned.IndexOf(winner);
        if (arm < 0 || !learned.IsActive(arm)) return false;
        if (Winner != winner) (Winner, ConcludedAt) = (winner, now);
        UpdatedAt = now;
        Revision++;
        return true;
    }

    public void Reopen(DateTimeOffset now)
    {
        if (Winner is null) return;
        (Winner, ConcludedAt) = (null, null);
        UpdatedAt = now;
        Revision++;
    }

    /// <summary>Whether the snapshot kept the counts of <see cref="ArmLogCounts"/> (earlier ones did not: <see cref="RestoreLogCounts"/> then).</summary>
    public bool LogCountsKept { get; }

    /// <summary>Sets what the log holds beyond the posterior, from the rollups, which are exact for the log (activation from an earlier snapshot).</summary>
    public void RestoreLogCounts(IReadOnlyDictionary<int, RollupCounts> totals)
    {
        foreach ((int arm, RollupCounts counts) in totals)
            if ((uint)arm < (uint)logCounts.Length) logCounts[arm] = new ArmLogCounts(counts.JoinedRewards, counts.DefaultRewards, counts.LateRewards);
    }

    /// <summary>Starts the traffic shares from recent decisions per arm index (activation: the last hour's rollups).</summary>
    public void SeedTraffic(IReadOnlyDictionary<int, RollupCounts> recent)
    {
        if (recent.Values.Sum(c => c.Decisions) == 0) return;
        (traffic ??= new TrafficTally()).Seed(recent.Where(r => (uint)r.Key < (uint)decisions.Length).ToDictionary(r => r.Key, r => r.Value.Decisions));
    }

    public void CountLate(int arm, int count)
    {
        if ((uint)arm >= (uint)logCounts.Length) return;
        logCounts[arm].Late += count;
        Tally++;
    }

    public void Apply(LoggedReward reward)
    {
        if (reward.Source == 1) logCounts[reward.ArmIndex].Defaults++;
        else if (reward.DecisionSequence is not null) logCounts[reward.ArmIndex].Joined++;
        learned.Observe(reward.ArmIndex, reward.Reward);
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reward.ReceivedAt);
        Revision++;
    }

    /// <summary>Counts a decision a chooser issued; false for an arm index this experiment does not have.</summary>
    public bool CountIssued(int arm)
    {
        if ((uint)arm >= (uint)decisions.Length) return false;
        decisions[arm]++;
        Tally++;
        (traffic ??= new TrafficTally()).Count(arm);
        if (InBurnIn && decisions[arm] == Definition.MinimumDecisionsPerArm && !(InBurnIn = ComputeInBurnIn()))
            Revision++; // the burn-in is over: the next copy follows the policy
        return true;
    }

    /// <summary>Takes back the count of a decision that was handed back twice (the log has it once).</summary>
    public void Uncount(int arm)
    {
        decisions[arm]--;
        Tally++;
    }

    public void AddDecisionCounts(IReadOnlyDictionary<int, long> counts)
    {
        foreach ((int arm, long count) in counts)
            if (arm >= 0 && arm < decisions.Length) decisions[arm] += count;
        InBurnIn = ComputeInBurnIn();
    }

    /// <summary>A frozen copy for the choosers, with the exact probability of each arm under it.</summary>
    public ServingCopy Publish(long publication) => new(View(), publication, ChoiceProbabilities());

    /// <summary>
    /// Each arm's probability of being chosen now: the winner's 1 while concluded, uniform over
    /// the active arms during the burn-in, else the policy's.
    /// </summary>
    public double[] ChoiceProbabilities()
    {
        var probabilities = new double[learned.ArmCount];
        if (Winner is not null) probabilities[learned.IndexOf(Winner)] = 1;
        else if (InBurnIn)
        {
            for (int i = 0; i < probabilities.Length; i++)
                if (learned.IsActive(i)) probabilities[i] = 1.0 / learned.ActiveArmCount;
        }
        else Policy.ChoiceProbabilities(learned, probabilities);
        return probabilities;
    }

    private bool ComputeInBurnIn()
    {
        if (Definition.MinimumDecisionsPerArm <= 0) return false;
        for (int i = 0; i < learned.ArmCount; i++)
            if (learned.IsActive(i) && decisions[i] < Definition.MinimumDecisionsPerArm) return true;
        return false;
    }

    public ExperimentView View()
    {
        var names = new string[learned.ArmCount];
        for (int i = 0; i < names.Length; i++) names[i] = learned.Arms[i].Name;
        return new ExperimentView
        {
            Id = Id, Definition = Definition, Status = Status, Winner = Winner, CreatedAt = CreatedAt, Version = Version, Incarnation = Incarnation, AllArms = names,
        };
    }

    private string Status => Winner is null ? ExperimentStatus.Running : ExperimentStatus.Concluded;

    /// <summary>
    /// The statistics now. A decision is counted when its silo hands it back (within a second),
    /// but a reward with its decision id, or its default reward, proves it was made: each arm
    /// shows at least that many decisions, so rewards never appear to exceed their decisions.
    /// </summary>
    public ExperimentStatistics Statistics()
    {
        ArmSummary[] summaries = PosteriorStatistics.Summarize(learned);
        IReadOnlyList<double> shares = (traffic ?? new TrafficTally()).Shares(learned.ArmCount);
        long[] made = new long[decisions.Length];
        for (int i = 0; i < made.Length; i++) made[i] = Math.Max(decisions[i], logCounts[i].Joined + logCounts[i].Defaults);
        return new ExperimentStatistics
        {
            ExperimentId = Id,
            Policy = Definition.Policy,
            TotalDecisions = made.Sum(),
            TotalRewards = summaries.Sum(s => s.Observations),
            UpdatedAt = UpdatedAt,
            Status = Status,
            Winner = Winner,
            ConcludedAt = ConcludedAt,
            Recommendation = RecommendationRule.Recommend(summaries, made, Definition),
            Health = HealthCheck.Check(summaries, logCounts, made, shares, Winner is null ? ChoiceProbabilities() : null, Definition),
            Arms = summaries.Select((s, i) => ArmStatisticsView.Of(s, made[i], shares[i])).ToList(),
        };
    }

    /// <summary>The experiment's line in the list, written with each snapshot (<see cref="ExperimentCatalog"/>).</summary>
    public ExperimentListing Listing()
    {
        ExperimentStatistics statistics = Statistics();
        ArmStatisticsView? leader = statistics.Recommendation?.Winner is { } winner
            ? statistics.Arms.FirstOrDefault(a => a.Arm == winner)
            : statistics.Arms.Where(a => a.ProbabilityBest > 0).MaxBy(a => a.ProbabilityBest);
        return new ExperimentListing
        {
            Experiment = View(),
            Decisions = statistics.TotalDecisions,
            Rewards = statistics.TotalRewards,
            Leader = leader?.Arm,
            LeaderProbabilityBest = leader?.ProbabilityBest,
            LastActivity = UpdatedAt,
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
            Winner = Winner,
            ConcludedAt = ConcludedAt,
            JoinedRewards = logCounts.Select(c => c.Joined).ToArray(),
            DefaultRewards = logCounts.Select(c => c.Defaults).ToArray(),
            LateRewards = logCounts.Select(c => c.Late).ToArray(),
        };
    }

    private static long At(long[]? values, int index) => values is not null && index < values.Length ? values[index] : 0;

    public static IBanditPolicy CreatePolicy(ExperimentDefinition definition) =>
        PolicyFactory.Create(definition.Policy, definition.RewardKind, new PolicyOptions { Epsilon = definition.Epsilon });
}
