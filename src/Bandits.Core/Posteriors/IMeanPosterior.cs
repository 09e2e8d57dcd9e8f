namespace Bandits.Core.Posteriors;

/// <summary>
/// The posterior distribution of one arm's mean reward: what Thompson sampling draws from and
/// what the statistics integrate over. Implemented by structs so generic callers do not box.
/// </summary>
public interface IMeanPosterior
{
    /// <summary>Posterior mean.</summary>
    double Mean { get; }

    /// <summary>A value x with P(θ &lt; x) ≤ <paramref name="tailMass"/>.</summary>
    double LowerBound(double tailMass);

    /// <summary>A value x with P(θ &gt; x) ≤ <paramref name="tailMass"/>.</summary>
    double UpperBound(double tailMass);

    /// <summary>Probability density at <paramref name="x"/>.</summary>
    double Density(double x);

    /// <summary>P(θ ≤ x).</summary>
    double CumulativeDistribution(double x);

    /// <summary>The p-quantile, p ∈ (0, 1).</summary>
    double Quantile(double p);

    /// <summary>One draw of θ.</summary>
    double Sample(Random random);

    /// <summary>
    /// Adds the points between which the density is smooth enough for an 8-point Gauss
    /// rule (steps of a fraction of a standard deviation near the centre, growing outwards,
    /// and graded towards integrable singularities).
    /// </summary>
    void AddBreakpoints(List<Breakpoint> breakpoints, double lower, double upper);
}
