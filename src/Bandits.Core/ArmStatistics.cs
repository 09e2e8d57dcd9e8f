namespace Bandits.Core;

/// <summary>
/// What an experiment has learned about one arm, exactly as it is stored. Plain data: a
/// state restored from these values behaves exactly like the state that produced them.
/// </summary>
/// <param name="Name">The arm's name, unique within its experiment.</param>
/// <param name="Weight">Discounted number of rewards (equals <paramref name="Observations"/> when γ = 1).</param>
/// <param name="Mean">Weighted mean of the rewards.</param>
/// <param name="SquaredDeviations">Discounted sum of squared deviations from <paramref name="Mean"/> (Welford's M2).</param>
/// <param name="Step">The value of <see cref="BanditState.Step"/> at which <paramref name="Weight"/> and
/// <paramref name="SquaredDeviations"/> were last discounted; older evidence decays lazily from here.</param>
/// <param name="Observations">Number of rewards ever observed, never discounted.</param>
/// <param name="RewardSum">Sum of all rewards ever observed, never discounted.</param>
/// <param name="Retired">A retired arm is never chosen again; its statistics are kept.</param>
public readonly record struct ArmStatistics(
    string Name,
    double Weight,
    double Mean,
    double SquaredDeviations,
    long Step,
    long Observations,
    double RewardSum,
    bool Retired)
{
    /// <summary>A new arm with no evidence: it starts from the prior.</summary>
    public static ArmStatistics Fresh(string name, long step) => new(name, 0, 0, 0, step, 0, 0, false);
}
