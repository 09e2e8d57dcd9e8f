namespace Bandits.Core;

/// <summary>
/// The sufficient statistics of an arm's rewards at the present step, after discounting:
/// weight n, mean x̄ and sum of squared deviations M2 = Σ wᵢ(xᵢ − x̄)².
/// </summary>
public readonly record struct ArmEvidence(double Weight, double Mean, double SquaredDeviations)
{
    /// <summary>No evidence at all.</summary>
    public static ArmEvidence None => default;

    /// <summary>Weighted sum of the rewards, n·x̄.</summary>
    public double Sum => Weight * Mean;

    /// <summary>Maximum-likelihood variance M2 / n (0 without evidence).</summary>
    public double Variance => Weight > 0 ? SquaredDeviations / Weight : 0;

    /// <summary>
    /// Evidence of the union of two samples (Chan, Golub &amp; LeVeque 1979, the pairwise
    /// update), numerically stable for any scale of rewards.
    /// </summary>
    public static ArmEvidence Combine(ArmEvidence a, ArmEvidence b)
    {
        double weight = a.Weight + b.Weight;
        if (weight <= 0) return None;
        double delta = b.Mean - a.Mean;
        double mean = a.Mean + delta * (b.Weight / weight);
        double m2 = a.SquaredDeviations + b.SquaredDeviations + delta * delta * (a.Weight * b.Weight / weight);
        return new ArmEvidence(weight, mean, m2);
    }
}
