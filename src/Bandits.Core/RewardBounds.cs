namespace Bandits.Core;

/// <summary>
/// Which rewards the models accept: the one rule that the API's validation and
/// <see cref="BanditState"/> both apply.
/// </summary>
/// <remarks>
/// Continuous rewards are bounded so that every sum the models keep stays finite by
/// construction, not by hope: with |x| ≤ 10¹² and fewer than 2⁶³ observations, a reward sum
/// stays below 10³¹ and Welford's sum of squared deviations below 2⁶³·(2·10¹²)² ≈ 4·10⁴³, far
/// from double's 1.8·10³⁰⁸. 10¹² covers any price or revenue in the smallest unit of any
/// currency; a larger value is far more likely a bug in the producer than a real outcome.
/// </remarks>
public static class RewardBounds
{
    /// <summary>The largest magnitude of a continuous reward (and of a default reward).</summary>
    public const double MaxMagnitude = 1e12;

    /// <summary>Whether <paramref name="reward"/> is valid for rewards of this kind (NaN and infinities never are).</summary>
    public static bool IsValid(RewardKind kind, double reward) => kind switch
    {
        RewardKind.Binary => reward >= 0 && reward <= 1,
        _ => Math.Abs(reward) <= MaxMagnitude,
    };

    /// <summary>The valid range in words, for error messages: "in [0, 1]".</summary>
    public static string Describe(RewardKind kind) => kind switch
    {
        RewardKind.Binary => "in [0, 1]",
        _ => "a finite number between -1e12 and 1e12",
    };
}
