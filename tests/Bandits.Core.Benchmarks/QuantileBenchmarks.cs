using BenchmarkDotNet.Attributes;
using Bandits.Core.Posteriors;
using MathNet.Numerics.Distributions;

namespace Bandits.Core.Benchmarks;

/// <summary>
/// The 95% interval's quantiles, which every point of an experiment's history needs 2K of:
/// the Halley/Newton steps of Bandits.Core against MathNet's bracketing search.
/// </summary>
[MemoryDiagnoser]
public class QuantileBenchmarks
{
    /// <summary>A binary arm of a few thousand rewards, and a continuous one of as many.</summary>
    private const double Alpha = 301, Beta = 2701, Freedom = 3000;

    [Benchmark(Baseline = true)]
    public double BetaMathNet() => MathNet.Numerics.Distributions.Beta.InvCDF(Alpha, Beta, 0.025);

    [Benchmark]
    public double BetaBandits() => BetaQuantile.Inverse(Alpha, Beta, 0.025);

    [Benchmark]
    public double StudentTMathNet() => StudentT.InvCDF(0, 1, Freedom, 0.025);

    [Benchmark]
    public double StudentTBandits() => StudentTQuantile.Inverse(Freedom, 0.025);
}
