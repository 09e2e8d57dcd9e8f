using System.Runtime.CompilerServices;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Bandits.Core.Posteriors;

/// <summary>Beta(α, β) posterior of a Bernoulli arm's mean.</summary>
public readonly struct BetaPosterior : IMeanPosterior
{
    private readonly double logNormalizer;

    /// <summary>Creates Beta(α, β); both must be greater than 0.</summary>
    public BetaPosterior(double alpha, double beta)
    {
        Alpha = Guard.Positive(alpha, nameof(alpha));
        Beta = Guard.Positive(beta, nameof(beta));
        logNormalizer = SpecialFunctions.BetaLn(alpha, beta);
    }

    /// <summary>α: prior plus the sum of rewards.</summary>
    public double Alpha { get; }

    /// <summary>β: prior plus the sum of (1 − reward).</summary>
    public double Beta { get; }

    /// <inheritdoc />
    public double Mean => Alpha / (Alpha + Beta);

    /// <summary>Posterior standard deviation.</summary>
    public double StandardDeviation
    {
        get
        {
            double n = Alpha + Beta;
            return Math.Sqrt(Alpha * Beta / (n * n * (n + 1)));
        }
    }

    /// <summary>
    /// Beta(α, β) is sub-Gaussian with variance proxy at most 1 / (4(α + β + 1))
    /// (Marchal &amp; Arbel 2017, Theorem 1), so each tail beyond the mean by
    /// √(2σ² ln(1/ε)) holds at most ε.
    /// </summary>
    private double TailDistance(double tailMass) =>
        Math.Sqrt(2 * Math.Log(1 / tailMass) / (4 * (Alpha + Beta + 1)));

    /// <inheritdoc />
    public double LowerBound(double tailMass) => Math.Max(0, Mean - TailDistance(tailMass));

    /// <inheritdoc />
    public double UpperBound(double tailMass) => Math.Min(1, Mean + TailDistance(tailMass));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Density(double x)
    {
        if (x <= 0 || x >= 1) return 0;
        return Math.Exp((Alpha - 1) * Math.Log(x) + (Beta - 1) * Math.Log(1 - x) - logNormalizer);
    }

    /// <inheritdoc />
    public double CumulativeDistribution(double x) =>
        x <= 0 ? 0 : x >= 1 ? 1 : SpecialFunctions.BetaRegularized(Alpha, Beta, x);

    /// <inheritdoc />
    public double Quantile(double p) => BetaQuantile.Inverse(Alpha, Beta, p);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sample(Random random) => MathNet.Numerics.Distributions.Beta.Sample(random, Alpha, Beta);

    /// <inheritdoc />
    public void AddBreakpoints(List<Breakpoint> breakpoints, double lower, double upper)
    {
        Breakpoints.AddAroundCentre(breakpoints, Mean, StandardDeviation, lower, upper);
        // α < 1 or β < 1 puts an integrable singularity at an edge: grade the mesh
        // geometrically towards it so each piece is smooth (mass left in [0, δ] is O(δ^α)).
        for (int k = 1; k <= 60 && Alpha < 1; k++)
        {
            double distance = Mean * Math.Pow(2, -k);
            Breakpoints.AddIfInside(breakpoints, distance, distance, lower, upper);
        }
        for (int k = 1; k <= 60 && Beta < 1; k++)
        {
            double distance = (1 - Mean) * Math.Pow(2, -k);
            Breakpoints.AddIfInside(breakpoints, 1 - distance, distance, lower, upper);
        }
    }
}
