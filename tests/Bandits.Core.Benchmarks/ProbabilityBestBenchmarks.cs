using BenchmarkDotNet.Attributes;
using Bandits.Core.Posteriors;

namespace Bandits.Core.Benchmarks;

/// <summary>P(best) for K arms: Thompson's propensity and the analyst's probability of being best.</summary>
[MemoryDiagnoser]
public class ProbabilityBestBenchmarks
{
    private BetaPosterior[] beta = [];
    private StudentTPosterior[] student = [];
    private double[] probabilities = [];

    [Params(2, 10, 100, 1000)]
    public int Arms { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        beta = new BetaPosterior[Arms];
        student = new StudentTPosterior[Arms];
        for (int i = 0; i < Arms; i++)
        {
            int trials = 200 + random.Next(2000);
            double rate = 0.05 + 0.02 * random.NextDouble();
            beta[i] = new BetaPosterior(1 + rate * trials, 1 + (1 - rate) * trials);
            student[i] = new StudentTPosterior(100 + 5 * random.NextDouble(), 1 + random.NextDouble(), 10 + random.Next(100));
        }
        probabilities = new double[Arms];
    }

    [Benchmark]
    public double Beta() => ProbabilityOfBeingBest.Compute<BetaPosterior>(beta, probabilities);

    [Benchmark]
    public double StudentT() => ProbabilityOfBeingBest.Compute<StudentTPosterior>(student, probabilities);
}
