using Bandits.Core.Contextual;
using MathNet.Numerics.LinearAlgebra;

namespace Bandits.Core.Tests.Contextual;

/// <summary>
/// The arm's rank-one updates against the regression computed directly (MathNet's dense
/// inverse): the same estimate and variances after many observations, with and without
/// discount, after ten million of them, and after a round trip through storage.
/// </summary>
public sealed class LinearArmTests
{
    private const double Ridge = 1.5;

    [Fact]
    public void UpdatesGiveTheRidgeRegressionComputedDirectly()
    {
        var random = new Random(20261206);
        var arm = new LinearArm(5, Ridge);
        var observed = new List<(double[] X, double R)>();
        for (int n = 0; n < 3000; n++)
        {
            double[] x = Context(random, 5);
            double r = 0.3 * x[0] - 0.7 * x[2] + random.NextDouble();
            arm.Observe(x, r);
            observed.Add((x, r));
        }

        (Matrix<double> a, Vector<double> b) = Direct(observed, 5, Ridge, discount: 1);
        AssertMatches(arm, a, b, random, tolerance: 1e-9);
        Assert.Equal(3000, arm.Evidence);
    }

    [Fact]
    public void ADiscountWeighsEachObservationByItsAgeAndKeepsThePriorBetweenHalfAndAll()
    {
        var random = new Random(7);
        const double Gamma = 0.97;
        var arm = new LinearArm(4, Ridge);
        var observed = new List<(double[] X, double R)>();
        for (int n = 0; n < 500; n++)
        {
            arm.Decay(Gamma);
            double[] x = Context(random, 4);
            double r = x[1] + random.NextDouble();
            arm.Observe(x, r);
            observed.Add((x, r));
            Assert.InRange(arm.PriorWeight, Ridge / 2, Ridge);
        }

        // A = (prior weight)·I + Σ γ^age·xxᵀ, b = Σ γ^age·r·x.
        (Matrix<double> a, Vector<double> b) = Direct(observed, 4, arm.PriorWeight, Gamma);
        AssertMatches(arm, a, b, random, tolerance: 1e-9);
        Assert.Equal((1 - Math.Pow(Gamma, 500)) / (1 - Gamma), arm.Evidence, 1e-9);
    }

    [Fact]
    public void TenMillionUpdatesStayWithinRoundingOfAFreshInverse()
    {
        var random = new Random(11);
        const int D = 16;
        var arm = new LinearArm(D, Ridge);
        double[] x = new double[D];
        for (int n = 0; n < 10_000_000; n++)
        {
            x[0] = 1;
            for (int i = 1; i < D; i++) x[i] = random.NextDouble() * 2 - 1;
            arm.Observe(x, random.NextDouble());
        }

        Matrix<double> a = Matrix<double>.Build.Dense(D, D, (i, j) => arm.Precision[i * D + j]);
        Vector<double> b = Vector<double>.Build.DenseOfArray(arm.Moment.ToArray());
        AssertMatches(arm, a, b, random, tolerance: 1e-8);
    }

    [Fact]
    public void ARestoredArmAnswersAsTheOneStored()
    {
        var random = new Random(3);
        var arm = new LinearArm(3, Ridge);
        for (int n = 0; n < 100; n++)
        {
            arm.Decay(0.99);
            arm.Observe(Context(random, 3), random.NextDouble());
        }

        LinearArm restored = LinearArm.Restore(3, Ridge, arm.Precision, arm.Moment, arm.Evidence, arm.PriorWeight);

        double[] probe = Context(random, 3);
        Assert.Equal(arm.Predict(probe), restored.Predict(probe), 1e-12);
        Assert.Equal(arm.Variance(probe), restored.Variance(probe), 1e-12);
        Assert.Equal(arm.Evidence, restored.Evidence);
        Assert.Equal(arm.PriorWeight, restored.PriorWeight);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2.0 })] // too short
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0 })] // too long
    [InlineData(new[] { 1.0, double.NaN, 3.0 })]
    [InlineData(new[] { 1.0, 2.0, double.PositiveInfinity })]
    public void AContextOfAnotherLengthOrNotFiniteIsRefusedAndChangesNothing(double[] context)
    {
        var arm = new LinearArm(3, Ridge);
        arm.Observe([1, 0.5, -0.5], 1);
        double[] probe = [1, 0.2, 0.3];
        (double prediction, double variance) = (arm.Predict(probe), arm.Variance(probe));

        Assert.Throws<ArgumentException>(() => arm.Observe(context, 1));

        Assert.Equal(prediction, arm.Predict(probe));
        Assert.Equal(variance, arm.Variance(probe));
        Assert.Equal(1, arm.Evidence);
    }

    [Fact]
    public void ADecayTooSmallToScaleByForgetsEverything()
    {
        var arm = new LinearArm(2, Ridge);
        arm.Observe([1, 2], 3);

        arm.Decay(Math.Pow(0.5, 2000)); // 0: a long-idle arm's γ^m

        double[] probe = [1, -1];
        Assert.Equal(0, arm.Predict(probe));
        Assert.Equal((1 + 1) / Ridge, arm.Variance(probe), 1e-12);
        Assert.Equal(0, arm.Evidence);
        Assert.Throws<ArgumentOutOfRangeException>(() => arm.Decay(1.5));
    }

    [Fact]
    public void ANonFiniteRewardIsRefused()
    {
        var arm = new LinearArm(2, Ridge);
        Assert.Throws<ArgumentOutOfRangeException>(() => arm.Observe([1, 0], double.NaN));
        Assert.Equal(0, arm.Evidence);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    public void TheInPlaceInverseIsMathNets(int d)
    {
        var random = new Random(d);
        Matrix<double> m = Matrix<double>.Build.Dense(d, d, (_, _) => random.NextDouble() - 0.5);
        Matrix<double> spd = m * m.Transpose() + Matrix<double>.Build.DenseIdentity(d) * 0.1;
        double[] inPlace = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) inPlace[i * d + j] = spd[i, j];

        Assert.True(Inverse.OfPositiveDefinite(inPlace, d));

        Matrix<double> expected = spd.Inverse();
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) Assert.Equal(expected[i, j], inPlace[i * d + j], 1e-9 * expected.L2Norm());
    }

    [Fact]
    public void TheInverseRefusesAMatrixThatIsNotPositiveDefinite()
    {
        double[] indefinite = [1, 2, 2, 1];
        Assert.False(Inverse.OfPositiveDefinite(indefinite, 2));
    }

    private static double[] Context(Random random, int d)
    {
        double[] x = new double[d];
        x[0] = 1; // the constant term
        for (int i = 1; i < d; i++) x[i] = random.NextDouble() * 4 - 2;
        return x;
    }

    /// <summary>A = prior·I + Σ γ^age·xxᵀ and b = Σ γ^age·r·x, the newest observation of age 0.</summary>
    private static (Matrix<double> A, Vector<double> B) Direct(List<(double[] X, double R)> observed, int d, double prior, double discount)
    {
        Matrix<double> a = Matrix<double>.Build.DenseIdentity(d) * prior;
        Vector<double> b = Vector<double>.Build.Dense(d);
        for (int n = 0; n < observed.Count; n++)
        {
            double weight = Math.Pow(discount, observed.Count - 1 - n);
            Vector<double> x = Vector<double>.Build.DenseOfArray(observed[n].X);
            a += x.OuterProduct(x) * weight;
            b += x * (observed[n].R * weight);
        }
        return (a, b);
    }

    /// <summary>θ̂ = A⁻¹b, and xᵀA⁻¹x for a few contexts, to a relative tolerance.</summary>
    private static void AssertMatches(LinearArm arm, Matrix<double> a, Vector<double> b, Random random, double tolerance)
    {
        Matrix<double> inverse = a.Inverse();
        Vector<double> estimate = inverse * b;
        for (int i = 0; i < estimate.Count; i++)
            Assert.True(Math.Abs(arm.Estimate[i] - estimate[i]) <= tolerance * (1 + estimate.L2Norm()), $"θ̂[{i}]: {arm.Estimate[i]} vs {estimate[i]}");
        for (int probe = 0; probe < 5; probe++)
        {
            double[] x = Context(random, arm.Dimension);
            Vector<double> v = Vector<double>.Build.DenseOfArray(x);
            double variance = v * inverse * v;
            Assert.True(Math.Abs(arm.Variance(x) - variance) <= tolerance * variance, $"variance: {arm.Variance(x)} vs {variance}");
        }
    }
}
