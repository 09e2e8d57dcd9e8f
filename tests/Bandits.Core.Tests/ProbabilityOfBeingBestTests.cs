using Bandits.Core.Posteriors;
using MathNet.Numerics;
using MathNet.Numerics.Integration;

namespace Bandits.Core.Tests;

public class ProbabilityOfBeingBestTests
{
    public static TheoryData<double[][]> BetaCases() => new()
    {
        new[] { new[] { 1.0, 1 }, [1, 1], [1, 1] },
        new[] { new[] { 11.0, 91 }, [13, 89], [9, 93] },
        // A peaked arm beside a broad one, and a third between them.
        new[] { new[] { 5001.0, 45001 }, [2, 7], [30, 250] },
        // Jeffreys prior: integrable singularities at 0 and 1.
        new[] { new[] { 0.5, 0.5 }, [1.5, 0.5], [0.5, 3.5] },
        // Ten arms, best 0.5 and nine at 0.4, after 300 draws each.
        Enumerable.Range(0, 10).Select(i => i == 0 ? new[] { 151.0, 151 } : [121.0, 181]).ToArray(),
        // Far apart: one arm is almost surely best.
        new[] { new[] { 900.0, 100 }, [100, 900] },
    };

    [Theory]
    [MemberData(nameof(BetaCases))]
    public void BetaProbabilitiesMatchABruteForceReferenceToOneHundredth(double[][] parameters)
    {
        BetaPosterior[] posteriors = parameters.Select(p => new BetaPosterior(p[0], p[1])).ToArray();
        var probabilities = new double[posteriors.Length];
        double expectedMax = ProbabilityOfBeingBest.Compute<BetaPosterior>(posteriors, probabilities);

        (double[] reference, double referenceMax) = Reference(posteriors, 0, 1);
        for (int i = 0; i < posteriors.Length; i++) Assert.InRange(probabilities[i], reference[i] - 0.01, reference[i] + 0.01);
        // In fact it is far closer than the promised 0.01.
        for (int i = 0; i < posteriors.Length; i++) Assert.Equal(reference[i], probabilities[i], 4);
        Assert.Equal(referenceMax, expectedMax, 4);
        Assert.Equal(1, probabilities.Sum(), 12);
    }

    [Fact]
    public void TwoBetaArmsMatchTheClosedForm()
    {
        // P(B > A) for integer α_B (Miller 2015, "Formulas for Bayesian A/B testing"):
        // Σ_{i=0}^{α_B−1} B(α_A+i, β_A+β_B) / ((β_B+i) B(1+i, β_B) B(α_A, β_A)).
        (double aA, double bA, int aB, double bB) = (20, 80, 26, 74);
        double closedForm = 0;
        for (int i = 0; i < aB; i++)
        {
            closedForm += Math.Exp(SpecialFunctions.BetaLn(aA + i, bA + bB) - Math.Log(bB + i)
                - SpecialFunctions.BetaLn(1 + i, bB) - SpecialFunctions.BetaLn(aA, bA));
        }

        var probabilities = new double[2];
        ProbabilityOfBeingBest.Compute<BetaPosterior>([new(aA, bA), new(aB, bB)], probabilities);

        Assert.Equal(closedForm, probabilities[1], 6);
    }

    public static TheoryData<double[][]> StudentCases() => new()
    {
        new[] { new[] { 10.0, 2, 12 }, [11, 3, 8], [9, 1, 30] },
        // Heavy tails: an untried arm (ν = 2) against two measured ones.
        new[] { new[] { 0.0, 50, 2 }, [3, 1, 20], [2.5, 0.5, 40] },
        new[] { new[] { 1e6, 1e3, 5 }, [1.001e6, 2e3, 5] },
    };

    [Theory]
    [MemberData(nameof(StudentCases))]
    public void StudentProbabilitiesMatchABruteForceReference(double[][] parameters)
    {
        StudentTPosterior[] posteriors = parameters.Select(p => new StudentTPosterior(p[0], p[1], p[2])).ToArray();
        var probabilities = new double[posteriors.Length];
        double expectedMax = ProbabilityOfBeingBest.Compute<StudentTPosterior>(posteriors, probabilities);

        double lower = posteriors.Min(p => p.LowerBound(1e-13)), upper = posteriors.Max(p => p.UpperBound(1e-13));
        (double[] reference, double referenceMax) = Reference(posteriors, lower, upper);
        for (int i = 0; i < posteriors.Length; i++) Assert.Equal(reference[i], probabilities[i], 4);
        double scale = posteriors.Max(p => p.Scale);
        Assert.InRange(expectedMax, referenceMax - 1e-3 * scale, referenceMax + 1e-3 * scale);
    }

    [Fact]
    public void ASingleArmIsBestForSure()
    {
        var probabilities = new double[1];
        double expectedMax = ProbabilityOfBeingBest.Compute<BetaPosterior>([new(3, 7)], probabilities);
        Assert.Equal(1, probabilities[0]);
        Assert.Equal(0.3, expectedMax, 12);
    }

    /// <summary>
    /// A slow, independent reference: the exact CDF (MathNet's incomplete beta and Student-t
    /// functions) at every node of a 10-point Gauss–Legendre rule on each of ~4,000 pieces per
    /// arm. The pieces follow sinh-spaced offsets around every posterior's centre (0.007
    /// scale units at the centre, 0.7% of the distance in the tails) and a geometric grading
    /// towards the ends of the domain, so every density is resolved hundreds of times finer
    /// than the tolerances asserted need.
    /// </summary>
    private static (double[] Probabilities, double ExpectedMax) Reference<T>(T[] posteriors, double lower, double upper)
        where T : struct, IMeanPosterior
    {
        const int steps = 4_000;
        var points = new List<double> { lower, upper };
        foreach (T p in posteriors)
        {
            double centre = p.Mean, scale = p is BetaPosterior beta ? beta.StandardDeviation : ((StudentTPosterior)(object)p).Scale;
            double reach = Math.Asinh((upper - lower) / scale);
            for (int k = -steps / 2; k <= steps / 2; k++) points.Add(centre + scale * Math.Sinh(reach * k / (steps / 2)));
        }
        for (int k = 1; k <= 40; k++)
        {
            points.Add(lower + (upper - lower) * Math.Pow(2, -k));
            points.Add(upper - (upper - lower) * Math.Pow(2, -k));
        }
        double[] grid = points.Where(x => x >= lower && x <= upper).Distinct().Order().ToArray();

        var rule = new GaussLegendreRule(0, 1, 10);
        var result = new double[posteriors.Length];
        var cdf = new double[posteriors.Length];
        double expectedMax = 0;
        for (int piece = 1; piece < grid.Length; piece++)
        {
            double left = grid[piece - 1], width = grid[piece] - left;
            for (int n = 0; n < rule.Order; n++)
            {
                double x = left + width * rule.Abscissas[n];
                double w = width * rule.Weights[n];
                for (int j = 0; j < posteriors.Length; j++) cdf[j] = posteriors[j].CumulativeDistribution(x);
                for (int i = 0; i < posteriors.Length; i++)
                {
                    double integrand = posteriors[i].Density(x);
                    for (int j = 0; j < posteriors.Length; j++)
                        if (j != i) integrand *= cdf[j];
                    result[i] += w * integrand;
                    expectedMax += w * x * integrand;
                }
            }
        }
        return (result, expectedMax);
    }
}
