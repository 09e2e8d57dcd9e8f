using BenchmarkDotNet.Attributes;

namespace Bandits.Core.Benchmarks;

/// <summary>Learning one reward, with and without discounting; the same for every policy.</summary>
[MemoryDiagnoser]
public class StateBenchmarks
{
    private BanditState state = null!;
    private int next;

    [Params(2, 10, 100, 1000)]
    public int Arms { get; set; }

    [Params(1.0, 0.999)]
    public double Discount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        state = new BanditState(RewardKind.Binary, Discount);
        for (int i = 0; i < Arms; i++) state.AddArm($"arm-{i}");
    }

    [Benchmark]
    public void Update()
    {
        state.Observe(next, next & 1);
        next = (next + 1) % Arms;
    }
}
