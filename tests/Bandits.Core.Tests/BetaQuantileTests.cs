using Bandits.Core.Posteriors;

namespace Bandits.Core.Tests;

/// <summary>The fast Beta quantile against MathNet's bracketing search, over the shapes the service meets.</summary>
public sealed class BetaQuantileTests
{
    public static TheoryData<double, double> Shapes() => new()
    {
        { 1, 1 }, { 2, 1 }, { 1, 2 }, { 0.5, 0.5 }, { 0.3, 4 }, { 4, 0.3 }, { 1.5, 300 }, { 31, 971 }, { 301, 2701 }, { 1001, 19001 }, { 50_001, 950_001 },
    };

    /// <summary>
    /// The quantile's CDF gives p back to 1e-9 relative (MathNet's search stops at an absolute
    /// tolerance, so in the far tails this is the tighter of the two), and it agrees with
    /// MathNet's to MathNet's own accuracy, 1e-9 absolute.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheQuantileIsTheInverseOfTheDistribution(double alpha, double beta)
    {
        foreach (double p in new[] { 1e-6, 0.001, 0.025, 0.1, 0.5, 0.9, 0.975, 0.999 })
        {
            double x = BetaQuantile.Inverse(alpha, beta, p);
            double back = MathNet.Numerics.SpecialFunctions.BetaRegularized(alpha, beta, x);
            Assert.True(Math.Abs(back - p) <= 1e-9 * p, $"Beta({alpha}, {beta}): I(x = {x}) = {back}, not {p}");
            Assert.Equal(MathNet.Numerics.Distributions.Beta.InvCDF(alpha, beta, p), x, 1e-9);
        }
    }

    [Fact]
    public void TheEndsAreTheEnds()
    {
        Assert.Equal(0, BetaQuantile.Inverse(2, 3, 0));
        Assert.Equal(1, BetaQuantile.Inverse(2, 3, 1));
    }
}
