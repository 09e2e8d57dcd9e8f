namespace Bandits.Core;

/// <summary>One reward for one arm, by the arm's index in a <see cref="BanditState"/>.</summary>
public readonly record struct Observation(int Arm, double Reward);
