using System.Runtime.CompilerServices;

namespace Bandits.Core;

/// <summary>
/// Everything an experiment has learned: per-arm sufficient statistics, the arm set, and the
/// discount clock. Policies read it; only <see cref="Observe(int, double)"/> changes evidence.
/// </summary>
/// <remarks>
/// Discounting follows discounted UCB (Garivier &amp; Moulines 2008) and discounted Thompson
/// sampling (Raj &amp; Kalyani 2017): at every observed reward all arms' evidence is multiplied
/// by γ, then the observed arm gains weight 1. It is applied lazily, so an update costs O(1):
/// each arm remembers the step it was last brought up to date, and its present evidence is the
/// stored evidence times γ^(now − then).
/// </remarks>
public sealed class BanditState
{
    /// <summary>Most arms an experiment may hold, retired ones included.</summary>
    public const int MaxArms = 100_000;

    /// <summary>Up to this many arms, names are found by a scan: no dictionary to keep per experiment.</summary>
    private const int ScanLimit = 32;

    private ArmStatistics[] arms;
    private Dictionary<string, int>? indexByName; // only past ScanLimit arms

    /// <summary>Creates an empty state.</summary>
    /// <param name="rewardKind">Which rewards are valid and which posterior model applies.</param>
    /// <param name="discount">γ ∈ (0, 1]; 1 never forgets.</param>
    /// <param name="capacity">How many arms to make room for at first (it grows as needed).</param>
    public BanditState(RewardKind rewardKind, double discount = 1.0, int capacity = 4)
    {
        if (!Enum.IsDefined(rewardKind))
            throw new ArgumentOutOfRangeException(nameof(rewardKind), rewardKind, "Unknown reward kind.");
        RewardKind = rewardKind;
        Discount = Guard.Discount(discount, nameof(discount));
        arms = new ArmStatistics[Math.Max(capacity, 1)];
    }

    /// <summary>Which rewards are valid and which posterior model applies.</summary>
    public RewardKind RewardKind { get; }

    /// <summary>The discount factor γ ∈ (0, 1].</summary>
    public double Discount { get; }

    /// <summary>Number of rewards observed so far: the clock that discounting runs on.</summary>
    public long Step { get; private set; }

    /// <summary>Number of arms, retired ones included.</summary>
    public int ArmCount { get; private set; }

    /// <summary>Number of arms that may still be chosen.</summary>
    public int ActiveArmCount { get; private set; }

    /// <summary>The stored per-arm statistics, by arm index, for persistence and reporting.</summary>
    public ReadOnlySpan<ArmStatistics> Arms => arms.AsSpan(0, ArmCount);

    /// <summary>Rebuilds a state from stored values, checking every invariant.</summary>
    public static BanditState Restore(RewardKind rewardKind, double discount, long step, IEnumerable<ArmStatistics> arms)
    {
        ArgumentNullException.ThrowIfNull(arms);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        // Sized exactly when the count is known: a restored state rarely grows, and thousands of
        // experiments are restored at once.
        var state = new BanditState(rewardKind, discount, arms.TryGetNonEnumeratedCount(out int count) ? count : 4) { Step = step };
        foreach (ArmStatistics arm in arms)
        {
            int index = state.AddArm(arm.Name);
            if (!(arm.Weight >= 0) || !double.IsFinite(arm.Weight)
                || !double.IsFinite(arm.Mean)
                || !(arm.SquaredDeviations >= 0) || !double.IsFinite(arm.SquaredDeviations)
                || arm.Step < 0 || arm.Step > step
                || arm.Observations < 0 || !double.IsFinite(arm.RewardSum)
                || (arm.Weight > 0 && !RewardBounds.IsValid(rewardKind, arm.Mean)))
            {
                throw new ArgumentException($"Stored statistics of arm '{arm.Name}' are invalid: {arm}.", nameof(arms));
            }
            state.arms[index] = arm;
            if (arm.Retired) state.ActiveArmCount--;
        }
        return state;
    }

    /// <summary>Adds an arm that starts from the prior and returns its index.</summary>
    public int AddArm(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (ArmCount >= MaxArms)
            throw new InvalidOperationException($"An experiment holds at most {MaxArms} arms.");
        if (IndexOf(name) >= 0)
            throw new ArgumentException($"Arm '{name}' already exists.", nameof(name));
        if (ArmCount == arms.Length) Array.Resize(ref arms, arms.Length * 2);
        if (indexByName is not null) indexByName[name] = ArmCount;
        else if (ArmCount == ScanLimit)
        {
            indexByName = new Dictionary<string, int>(2 * ScanLimit, StringComparer.Ordinal);
            for (int i = 0; i <= ArmCount; i++) indexByName[i < ArmCount ? arms[i].Name : name] = i;
        }
        arms[ArmCount] = ArmStatistics.Fresh(name, Step);
        ActiveArmCount++;
        return ArmCount++;
    }

    /// <summary>Retires an arm: it is never chosen again, its statistics are kept.</summary>
    public void RetireArm(int arm)
    {
        CheckArm(arm);
        if (arms[arm].Retired) return;
        arms[arm] = arms[arm] with { Retired = true };
        ActiveArmCount--;
    }

    /// <summary>Brings a retired arm back: it may be chosen again, with the evidence it had.</summary>
    public void ReactivateArm(int arm)
    {
        CheckArm(arm);
        if (!arms[arm].Retired) return;
        arms[arm] = arms[arm] with { Retired = false };
        ActiveArmCount++;
    }

    /// <summary>The index of the arm with this name, or −1.</summary>
    public int IndexOf(string name)
    {
        if (indexByName is not null) return indexByName.GetValueOrDefault(name, -1);
        for (int i = 0; i < ArmCount; i++)
            if (string.Equals(arms[i].Name, name, StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary>Whether the arm may be chosen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsActive(int arm) => !arms[arm].Retired;

    /// <summary>The arm's evidence at the present step, discounted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ArmEvidence Evidence(int arm)
    {
        ref readonly ArmStatistics a = ref arms[arm];
        if (Discount == 1.0 || a.Step == Step) return new ArmEvidence(a.Weight, a.Mean, a.SquaredDeviations);
        double decay = Math.Pow(Discount, Step - a.Step);
        return new ArmEvidence(a.Weight * decay, a.Mean, a.SquaredDeviations * decay);
    }

    /// <summary>Evidence of all arms' rewards pooled together: the reward scale of the experiment.</summary>
    public ArmEvidence PooledEvidence()
    {
        ArmEvidence pooled = ArmEvidence.None;
        for (int i = 0; i < ArmCount; i++) pooled = ArmEvidence.Combine(pooled, Evidence(i));
        return pooled;
    }

    /// <summary>Sum of the present weights of the active arms: the "t" of UCB-type indices.</summary>
    public double ActiveWeight()
    {
        double total = 0;
        for (int i = 0; i < ArmCount; i++)
            if (!arms[i].Retired) total += Evidence(i).Weight;
        return total;
    }

    /// <summary>Whether a reward is acceptable for this state's reward kind.</summary>
    public bool IsValidReward(double reward) => RewardBounds.IsValid(RewardKind, reward);

    /// <summary>Learns one reward for one arm (retired arms included: late rewards still count).</summary>
    public void Observe(int arm, double reward)
    {
        CheckArm(arm);
        CheckReward(reward);
        Apply(arm, reward);
    }

    /// <summary>
    /// Learns a batch of rewards, in order. All or nothing: if any observation is invalid,
    /// nothing is applied. The result is identical to observing them one by one.
    /// </summary>
    public void Observe(ReadOnlySpan<Observation> batch)
    {
        foreach (Observation o in batch)
        {
            CheckArm(o.Arm);
            CheckReward(o.Reward);
        }
        foreach (Observation o in batch) Apply(o.Arm, o.Reward);
    }

    private void Apply(int arm, double reward)
    {
        Step++;
        ArmEvidence before = Evidence(arm);
        // Weighted Welford update (West 1979) with weight 1.
        double weight = before.Weight + 1;
        double delta = reward - before.Mean;
        double mean = before.Mean + delta / weight;
        double m2 = before.SquaredDeviations + delta * (reward - mean);
        ref ArmStatistics a = ref arms[arm];
        a = a with
        {
            Weight = weight,
            Mean = mean,
            SquaredDeviations = Math.Max(0, m2),
            Step = Step,
            Observations = a.Observations + 1,
            RewardSum = a.RewardSum + reward,
        };
    }

    private void CheckArm(int arm)
    {
        if ((uint)arm >= (uint)ArmCount)
            throw new ArgumentOutOfRangeException(nameof(arm), arm, $"No arm with index {arm}; the state has {ArmCount} arms.");
    }

    private void CheckReward(double reward)
    {
        if (IsValidReward(reward)) return;
        throw new ArgumentOutOfRangeException(nameof(reward), reward,
            $"A {RewardKind.ToString().ToLowerInvariant()} reward must be {RewardBounds.Describe(RewardKind)}; got {reward}.");
    }
}
