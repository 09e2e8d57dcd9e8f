using Bandits.Core.Posteriors;
using MathNet.Numerics.Distributions;

namespace Bandits.Core.Tests;

/// <summary>The fast Student-t quantile: the CDF gives p back to 1e-9 relative, and it agrees with MathNet's search where that one is accurate.</summary>
public sealed class StudentTQuantileTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2.5)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(30)]
    [InlineData(2000)]
    [InlineData(50_000)]
    public void TheQuantileIsTheInverseOfTheDistribution(double freedom)
    {
        foreach (double p in new[] { 1e-6, 0.001, 0.025, 0.1, 0.4, 0.5, 0.6, 0.9, 0.975, 0.999 })
        {
            double t = StudentTQuantile.Inverse(freedom, p);
            double lowerTail = Math.Min(p, 1 - p), back = StudentT.CDF(0, 1, freedom, p < 0.5 ? t : -t);
            Assert.True(Math.Abs(back - lowerTail) <= 1e-9 * lowerTail, $"t({freedom}): F({t}) = {back}, not {p}");
            // MathNet's search stops at an absolute tolerance, and fails far out in heavy tails.
            if (freedom >= 4 && p is >= 0.001 and <= 0.999) Assert.Equal(StudentT.InvCDF(0, 1, freedom, p), t, 1e-6 * Math.Max(1, Math.Abs(t)));
        }
    }

    /// <summary>
    /// Far beyond where MathNet's CDF is exact (its incomplete beta loses digits for ν of millions),
    /// the t is the normal plus the expansion's first term, z(z² + 1)/(4ν), to within its second.
    /// </summary>
    [Fact]
    public void WithMillionsOfDegreesOfFreedomItIsTheNormalQuantileCorrected()
    {
        const double freedom = 1e7;
        foreach (double p in new[] { 1e-6, 0.025, 0.4, 0.975 })
        {
            double z = Normal.InvCDF(0, 1, p);
            Assert.Equal(z + z * (z * z + 1) / (4 * freedom), StudentTQuantile.Inverse(freedom, p), 1e-11);
        }
    }
}
