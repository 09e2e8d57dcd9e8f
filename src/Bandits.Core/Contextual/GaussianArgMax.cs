namespace Bandits.Core.Contextual;

/// <summary>
/// For independent normal scores Sₖ ~ N(μₖ, σₖ²), the probability that each is the largest,
/// P(k) = ∫ φₖ(t) Πⱼ≠ₖ Φⱼ(t) dt: the probability that linear Thompson sampling, which
/// chooses the largest of one draw per arm, chooses arm k. Its propensity.
/// </summary>
/// <remarks>
/// One integral over t for all arms at once, allocation-free. The domain starts at
/// L = maxⱼ(μⱼ − 7σⱼ), below which the largest score lies with probability under 1.3·10⁻¹²;
/// an arm whose μ + 7σ is below L is left out (P = 0). It is cut into pieces at most 2σⱼ wide
/// wherever t is within 6σⱼ of some arm's mean (that arm's density and distribution change
/// there) and into one piece across each stretch where none is (every φ is negligible there),
/// and each piece gets a 5-point Gauss–Legendre rule. Φ comes from a Chebyshev fit of erfc
/// with relative error under 1.2·10⁻⁷ (Numerical Recipes' erfcc). The probabilities are then
/// scaled to sum to 1. Absolute error: below <see cref="Accuracy"/> (tested against 10⁶ Monte
/// Carlo draws). Cost: about 5·(pieces)·K normal densities and distributions.
/// </remarks>
public static class GaussianArgMax
{
    /// <summary>The absolute error of every probability, at most.</summary>
    public const double Accuracy = 1e-4;

    /// <summary>Arms up to this many are integrated with stack memory; more with pooled arrays.</summary>
    private const int StackArms = 128;

    private const double Reach = 7;   // the domain starts at maxⱼ(μⱼ − Reach·σⱼ)
    private const double Region = 6;  // an arm's density and distribution change within this many σ of its mean
    private const double Step = 2;    // widest piece inside a region, in σ of the narrowest arm there

    private static readonly double[] Nodes = [-0.9061798459386640, -0.5384693101056831, 0, 0.5384693101056831, 0.9061798459386640];
    private static readonly double[] Weights = [0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891];

    /// <summary>Writes P(arm k's score is the largest) into <paramref name="probabilities"/>; they sum to 1.</summary>
    /// <param name="means">μₖ, finite.</param>
    /// <param name="deviations">σₖ &gt; 0, finite.</param>
    /// <param name="probabilities">As long as <paramref name="means"/> at least.</param>
    public static void Probabilities(ReadOnlySpan<double> means, ReadOnlySpan<double> deviations, Span<double> probabilities)
    {
        int k = means.Length;
        if (k == 0) throw new ArgumentException("At least one arm is needed.", nameof(means));
        if (deviations.Length != k) throw new ArgumentException($"{k} deviations are needed.", nameof(deviations));
        if (probabilities.Length < k) throw new ArgumentException($"Room for {k} probabilities is needed.", nameof(probabilities));
        for (int i = 0; i < k; i++)
        {
            Guard.Finite(means[i], nameof(means));
            Guard.Positive(deviations[i], nameof(deviations));
        }

        double lower = double.NegativeInfinity;
        for (int i = 0; i < k; i++) lower = Math.Max(lower, means[i] - Reach * deviations[i]);
        double upper = lower;
        int contenders = 0, last = 0;
        for (int i = 0; i < k; i++)
        {
            probabilities[i] = 0;
            double top = means[i] + Reach * deviations[i];
            if (top <= lower) continue;
            upper = Math.Max(upper, top);
            contenders++;
            last = i;
        }
        if (contenders == 1)
        {
            probabilities[last] = 1;
            return;
        }

        double[]? rented = k > StackArms ? System.Buffers.ArrayPool<double>.Shared.Rent(3 * k) : null;
        Span<double> work = rented is null ? stackalloc double[3 * k] : rented.AsSpan(0, 3 * k);
        try
        {
            Integrate(means, deviations, probabilities[..k], lower, upper, work[..k], work[k..(2 * k)], work[(2 * k)..]);
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<double>.Shared.Return(rented);
        }

        double total = 0;
        for (int i = 0; i < k; i++) total += probabilities[i];
        for (int i = 0; i < k; i++) probabilities[i] /= total;
    }

    private static void Integrate(
        ReadOnlySpan<double> means, ReadOnlySpan<double> deviations, Span<double> sums, double lower, double upper,
        Span<double> density, Span<double> distribution, Span<double> suffix)
    {
        int k = means.Length;
        for (double left = lower; left < upper;)
        {
            double right = NextBreak(means, deviations, left, upper);
            double half = (right - left) / 2, centre = (right + left) / 2;
            for (int n = 0; n < Nodes.Length; n++)
            {
                double t = centre + half * Nodes[n];
                for (int i = 0; i < k; i++)
                {
                    double z = (t - means[i]) / deviations[i];
                    density[i] = Math.Exp(-0.5 * z * z) / (deviations[i] * 2.5066282746310002);
                    distribution[i] = 0.5 * Erfc(-z * 0.70710678118654752);
                }
                // Πⱼ≠ᵢ Φⱼ as (product of those before i) × (product of those after i): no division by a Φ near 0.
                suffix[k - 1] = 1;
                for (int i = k - 1; i > 0; i--) suffix[i - 1] = suffix[i] * distribution[i];
                double before = 1, weight = Weights[n] * half;
                for (int i = 0; i < k; i++)
                {
                    sums[i] += weight * density[i] * before * suffix[i];
                    before *= distribution[i];
                }
            }
            left = right;
        }
    }

    /// <summary>
    /// The end of the piece that starts at <paramref name="t"/>: at most <see cref="Step"/>σ
    /// further for each arm whose region holds t, and no further than the next region's start.
    /// </summary>
    private static double NextBreak(ReadOnlySpan<double> means, ReadOnlySpan<double> deviations, double t, double upper)
    {
        double next = upper;
        for (int i = 0; i < means.Length; i++)
        {
            double start = means[i] - Region * deviations[i], end = means[i] + Region * deviations[i];
            if (t < start) next = Math.Min(next, start);
            else if (t < end) next = Math.Min(next, Math.Min(t + Step * deviations[i], end));
        }
        // Rounding at a huge t: never a piece of width 0.
        return next > t ? next : Math.BitIncrement(t);
    }

    /// <summary>erfc(x) with relative error under 1.2·10⁻⁷ (Press et al., Numerical Recipes, erfcc).</summary>
    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double value = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? value : 2 - value;
    }
}
