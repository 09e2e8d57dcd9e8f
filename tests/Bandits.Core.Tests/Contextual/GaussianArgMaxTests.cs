using Bandits.Core.Contextual;
using MathNet.Numerics.Distributions;

namespace Bandits.Core.Tests.Contextual;

/// <summary>
/// P(each of K independent normal scores is the largest) against 10⁶ Monte Carlo draws: each
/// frequency within 5 binomial standard deviations plus the stated accuracy of the integral.
/// </summary>
public sealed class GaussianArgMaxTests
{
    private const int Draws = 1_000_000;

    public static TheoryData<string, double[], double[]> States => new()
    {
        { "two equal arms", [0, 0], [1, 1] },
        { "ten close arms of one scale", [0.10, 0.12, 0.09, 0.11, 0.10, 0.13, 0.08, 0.12, 0.10, 0.11], [0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02] },
        { "scales a thousand times apart", [0, 0.5, 0.4, 1e-3], [1, 1e-3, 0.2, 5] },
        { "one clear leader and stragglers", [3, 0, 0.5, -1, 2.9], [0.1, 0.5, 0.5, 0.5, 0.05] },
        { "far apart, small deviations", [0, 10, 20, 30, 29.99], [0.01, 0.01, 0.01, 0.01, 0.01] },
        { "large offsets", [1e6, 1e6 + 1, 1e6 - 1], [1, 1, 2] },
    };

    [Theory]
    [MemberData(nameof(States))]
    public void ProbabilitiesAreTheFrequenciesOfTheLargestDraw(string state, double[] means, double[] deviations)
    {
        var computed = new double[means.Length];
        GaussianArgMax.Probabilities(means, deviations, computed);

        var random = new Random(20261206);
        var wins = new int[means.Length];
        for (int n = 0; n < Draws; n++)
        {
            int best = 0;
            double top = double.NegativeInfinity;
            for (int i = 0; i < means.Length; i++)
            {
                double draw = Normal.Sample(random, means[i], deviations[i]);
                if (draw > top) (top, best) = (draw, i);
            }
            wins[best]++;
        }

        Assert.Equal(1, computed.Sum(), 1e-12);
        for (int i = 0; i < means.Length; i++)
        {
            double p = computed[i], frequency = (double)wins[i] / Draws;
            double bound = 5 * Math.Sqrt(Math.Max(p * (1 - p), 1e-12) / Draws) + GaussianArgMax.Accuracy;
            Assert.True(Math.Abs(frequency - p) <= bound, $"{state}, arm {i}: P = {p:G6}, frequency {frequency:G6}, bound ±{bound:G3}");
        }
    }

    [Fact]
    public void AnArmFarBelowTheRestHasProbabilityZeroAndOneArmHasOne()
    {
        var probabilities = new double[3];
        GaussianArgMax.Probabilities([0, 100, 0.5], [1, 1, 1], probabilities);
        Assert.Equal([0, 1, 0], probabilities);

        var single = new double[1];
        GaussianArgMax.Probabilities([4.2], [0.3], single);
        Assert.Equal(1, single[0]);
    }

    [Fact]
    public void ScoresThatAreNotFiniteOrDeviationsThatAreNotPositiveAreRefused()
    {
        var probabilities = new double[2];
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianArgMax.Probabilities([0, double.NaN], [1, 1], probabilities));
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianArgMax.Probabilities([0, 1], [1, 0], probabilities));
        Assert.Throws<ArgumentException>(() => GaussianArgMax.Probabilities([0, 1], [1], probabilities));
    }
}
