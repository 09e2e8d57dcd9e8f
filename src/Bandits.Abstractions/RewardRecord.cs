namespace Bandits.Abstractions;

/// <summary>
/// A reward that the HTTP layer has validated: the arm exists, the reward is finite and in
/// range, and a decision id (if any) was signed for this experiment.
/// </summary>
/// <param name="ArmIndex">Index of the arm in <see cref="ExperimentView.AllArms"/>.</param>
/// <param name="Reward">The reward.</param>
/// <param name="DecisionSequence">The decision's sequence number, or null for a reward posted by arm.</param>
/// <param name="Late">It arrived after its decision's window: counted (health), neither logged nor learned from.</param>
[GenerateSerializer, Immutable, Alias("bandits.reward-record.v1")]
public readonly record struct RewardRecord(
    [property: Id(0)] int ArmIndex,
    [property: Id(1)] double Reward,
    [property: Id(2)] long? DecisionSequence,
    [property: Id(3)] bool Late = false);
