using BenchmarkDotNet.Attributes;
using Bandits.Core.Policies;
using Bandits.Core.Simulation;

namespace Bandits.Core.Benchmarks;

/// <summary>The hot path of every policy: one choice among K arms whose states hold 100 rewards each.</summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private BanditState state = null!;
    private IBanditPolicy policy = null!;
    private Random random = null!;

    [Params(2, 10, 100, 1000)]
    public int Arms { get; set; }

    [Params("thompson", "thompson-gaussian", "ucb1", "kl-ucb", "epsilon-greedy")]
    public string Policy { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        bool continuous = Policy == "thompson-gaussian";
        RewardKind kind = continuous ? RewardKind.Continuous : RewardKind.Binary;
        policy = PolicyFactory.Create(continuous ? PolicyFactory.Thompson : Policy, kind);
        random = Seeds.Generator(42);
        state = new BanditState(kind);
        for (int i = 0; i < Arms; i++) state.AddArm($"arm-{i}");
        for (int n = 0; n < 100; n++)
            for (int i = 0; i < Arms; i++)
                state.Observe(i, continuous ? 10 + i + random.NextDouble() : random.NextDouble() < 0.1 + 0.8 * i / Arms ? 1 : 0);
    }

    [Benchmark]
    public int Choose() => policy.Choose(state, random);
}
