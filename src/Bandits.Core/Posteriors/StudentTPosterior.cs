using System.Runtime.CompilerServices;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Bandits.Core.Posteriors;

/// <summary>Location–scale Student-t posterior of a Normal arm's mean.</summary>
public readonly struct StudentTPosterior : IMeanPosterior
{
    private readonly double logNormalizer;

    /// <summary>Creates t_ν(location, scale²).</summary>
    public StudentTPosterior(double location, double scale, double freedom)
    {
        Location = Guard.Finite(location, nameof(location));
        Scale = Guard.Positive(scale, nameof(scale));
        Freedom = Guard.Positive(freedom, nameof(freedom));
        logNormalizer = SpecialFunctions.GammaLn((freedom + 1) / 2) - SpecialFunctions.GammaLn(freedom / 2)
            - 0.5 * Math.Log(freedom * Math.PI) - Math.Log(scale);
    }

    /// <summary>μₙ.</summary>
    public double Location { get; }

    /// <summary>σₙ/√κₙ.</summary>
    public double Scale { get; }

    /// <summary>νₙ.</summary>
    public double Freedom { get; }

    /// <inheritdoc />
    public double Mean => Location;

    /// <inheritdoc />
    public double LowerBound(double tailMass) => Location - Scale * TailMultiple(tailMass);

    /// <inheritdoc />
    public double UpperBound(double tailMass) => Location + Scale * TailMultiple(tailMass);

    /// <summary>
    /// A t with P(T &lt; −t) ≤ ε for the standard t_ν, within a factor 2 of the exact quantile.
    /// Found by doubling, checking the lower tail, which the CDF computes without cancellation;
    /// MathNet's root-finding quantile fails this far out in heavy tails.
    /// </summary>
    private double TailMultiple(double tailMass)
    {
        double t = 4;
        while (StudentT.CDF(0, 1, Freedom, -t) > tailMass && t < 1e300) t *= 2;
        return t;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Density(double x)
    {
        double z = (x - Location) / Scale;
        return Math.Exp(logNormalizer - (Freedom + 1) / 2 * Math.Log(1 + z * z / Freedom));
    }

    /// <inheritdoc />
    public double CumulativeDistribution(double x) => StudentT.CDF(Location, Scale, Freedom, x);

    /// <inheritdoc />
    public double Quantile(double p) => Location + Scale * StudentTQuantile.Inverse(Freedom, p);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sample(Random random) => StudentT.Sample(random, Location, Scale, Freedom);

    /// <inheritdoc />
    public void AddBreakpoints(List<Breakpoint> breakpoints, double lower, double upper) =>
        Breakpoints.AddAroundCentre(breakpoints, Location, Scale, lower, upper);
}
