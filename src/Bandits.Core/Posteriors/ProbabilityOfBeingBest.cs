using MathNet.Numerics.Integration;

namespace Bandits.Core.Posteriors;

/// <summary>
/// For independent posteriors θ₁ … θ_K, the probability that each arm has the highest mean,
/// P(θᵢ = max) = ∫ fᵢ(x) Πⱼ≠ᵢ Fⱼ(x) dx, and the expected maximum E[maxⱼ θⱼ].
/// </summary>
/// <remarks>
/// Deterministic numerical integration, accurate to about 1e-5 (the tests hold it to ±0.01
/// against a brute-force reference): the domain is cut into pieces at every arm's centre and at
/// growing multiples of its scale (thinned where arms overlap), so that each density is smooth
/// on each piece, and each piece gets an 8-point Gauss–Legendre rule. The CDFs are not evaluated node by node (the incomplete
/// beta function is costly): each arm's CDF is computed exactly once, at the left end, and
/// carried across the pieces by integrating its density with the same nodes (an interpolatory
/// cumulative rule). The cost is O(K·pieces·8²), with pieces growing slowly with K.
/// </remarks>
public static class ProbabilityOfBeingBest
{
    /// <summary>Mass of each tail left out of the domain.</summary>
    private const double TailMass = 1e-10;
    private const int Nodes = 8;

    private static readonly double[] Abscissas;
    private static readonly double[] Weights;

    /// <summary>CumulativeWeights[k, l] = ∫ from −1 to tₖ of the Lagrange basis polynomial ℓₗ.</summary>
    private static readonly double[,] CumulativeWeights;

    static ProbabilityOfBeingBest()
    {
        var rule = new GaussLegendreRule(-1, 1, Nodes);
        Abscissas = rule.Abscissas;
        Weights = rule.Weights;
        CumulativeWeights = new double[Nodes, Nodes];
        for (int k = 0; k < Nodes; k++)
        {
            double half = (Abscissas[k] + 1) / 2;
            for (int l = 0; l < Nodes; l++)
            {
                double sum = 0;
                // Gauss–Legendre on [−1, tₖ] is exact for ℓₗ, a polynomial of degree 7.
                for (int m = 0; m < Nodes; m++)
                    sum += Weights[m] * Lagrange(l, -1 + half * (Abscissas[m] + 1));
                CumulativeWeights[k, l] = half * sum;
            }
        }
    }

    private static double ComputeAmongContenders<T>(ReadOnlySpan<T> posteriors, Span<double> probabilities, double[] uppers, double lower, int contenders)
        where T : struct, IMeanPosterior
    {
        var subset = new T[contenders];
        var indices = new int[contenders];
        for (int i = 0, c = 0; i < posteriors.Length; i++)
        {
            probabilities[i] = 0;
            if (uppers[i] > lower) (subset[c], indices[c++]) = (posteriors[i], i);
        }
        var among = new double[contenders];
        double expectedMax = Compute<T>(subset, among);
        for (int c = 0; c < contenders; c++) probabilities[indices[c]] = among[c];
        return expectedMax;
    }

    private static double Lagrange(int l, double t)
    {
        double value = 1;
        for (int q = 0; q < Nodes; q++)
            if (q != l) value *= (t - Abscissas[q]) / (Abscissas[l] - Abscissas[q]);
        return value;
    }

    /// <summary>
    /// Writes P(arm i is best) into <paramref name="probabilities"/> (same order as
    /// <paramref name="posteriors"/>; they sum to 1) and returns E[maxᵢ θᵢ].
    /// </summary>
    public static double Compute<T>(ReadOnlySpan<T> posteriors, Span<double> probabilities)
        where T : struct, IMeanPosterior
    {
        int k = posteriors.Length;
        if (k == 0) throw new ArgumentException("At least one posterior is needed.", nameof(posteriors));
        if (probabilities.Length < k)
            throw new ArgumentException($"Room for {k} probabilities is needed.", nameof(probabilities));
        if (k == 1)
        {
            probabilities[0] = 1;
            return posteriors[0].Mean;
        }

        // Below the highest lower bound some arm's CDF (or the arm's own density) is negligible,
        // so every integrand is; above the highest upper bound every density is.
        double lower = double.NegativeInfinity, upper = double.NegativeInfinity;
        var uppers = new double[k];
        for (int i = 0; i < k; i++)
        {
            lower = Math.Max(lower, posteriors[i].LowerBound(TailMass));
            upper = Math.Max(upper, uppers[i] = posteriors[i].UpperBound(TailMass));
        }

        // An arm whose upper bound is below the highest lower bound is beaten with probability
        // 1 − O(TailMass): it is left out (P(best) 0, its CDF 1 where the others' mass is). A
        // settled experiment has many such arms, and its history hundreds of such states.
        int contenders = 0;
        foreach (double armUpper in uppers)
            if (armUpper > lower) contenders++;
        if (contenders < k) return ComputeAmongContenders(posteriors, probabilities, uppers, lower, contenders);

        var candidates = new List<Breakpoint>(32 * k);
        foreach (ref readonly T p in posteriors) p.AddBreakpoints(candidates, lower, upper);
        List<double> breakpoints = Breakpoints.Thin(candidates, lower, upper);

        var density = new double[k * Nodes];
        var cdf = new double[k * Nodes];
        var cdfAtLeft = new double[k];
        var suffix = new double[k + 1];
        for (int i = 0; i < k; i++)
        {
            cdfAtLeft[i] = posteriors[i].CumulativeDistribution(lower);
            probabilities[i] = 0;
        }

        double expectedMax = 0;
        double left = breakpoints[0];
        for (int b = 1; b < breakpoints.Count; b++)
        {
            double right = breakpoints[b];
            if (!(right > left)) continue;
            double half = (right - left) / 2, middle = (left + right) / 2;

            for (int i = 0; i < k; i++)
            {
                ref readonly T p = ref posteriors[i];
                Span<double> f = density.AsSpan(i * Nodes, Nodes);
                for (int n = 0; n < Nodes; n++) f[n] = p.Density(middle + half * Abscissas[n]);

                double total = 0;
                for (int n = 0; n < Nodes; n++)
                {
                    double integral = 0;
                    for (int l = 0; l < Nodes; l++) integral += CumulativeWeights[n, l] * f[l];
                    cdf[i * Nodes + n] = Math.Clamp(cdfAtLeft[i] + half * integral, 0, 1);
                    total += Weights[n] * f[n];
                }
                cdfAtLeft[i] = Math.Clamp(cdfAtLeft[i] + half * total, 0, 1);
            }

            for (int n = 0; n < Nodes; n++)
            {
                double x = middle + half * Abscissas[n];
                double weight = half * Weights[n];
                // Π over j ≠ i as prefix × suffix products: no division by a CDF that may be 0.
                suffix[k] = 1;
                for (int i = k - 1; i >= 0; i--) suffix[i] = suffix[i + 1] * cdf[i * Nodes + n];
                double prefix = 1;
                for (int i = 0; i < k; i++)
                {
                    double integrand = density[i * Nodes + n] * prefix * suffix[i + 1];
                    probabilities[i] += weight * integrand;
                    expectedMax += weight * x * integrand;
                    prefix *= cdf[i * Nodes + n];
                }
            }
            left = right;
        }

        // What is left is the error of the integration and of the tails (about 1e-9):
        // normalise so the probabilities are a distribution.
        double sum = 0;
        for (int i = 0; i < k; i++) sum += probabilities[i];
        if (!(sum > 0)) throw new InvalidOperationException("The posteriors could not be integrated.");
        for (int i = 0; i < k; i++) probabilities[i] /= sum;
        return expectedMax / sum;
    }
}
