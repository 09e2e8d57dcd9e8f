using Bandits.Core.Policies;

namespace Bandits.Core.Tests;

public class NonStationaryTests
{
    /// <summary>
    /// Two arms at 0.8 and 0.2, first measured by an A/B test of 2,500 rewards each, then
    /// swapped, then played by the policy for 5,000 steps. Returns the share of the last 2,000
    /// steps in which the new best arm was played.
    /// </summary>
    private static double ShareOfNewBestAfterSwitch(IBanditPolicy policy, double discount, int seed)
    {
        var state = new BanditState(RewardKind.Binary, discount);
        state.AddArm("a");
        state.AddArm("b");
        var random = new Random(seed);
        for (int t = 0; t < 5_000; t++) state.Observe(t % 2, random.NextDouble() < (t % 2 == 0 ? 0.8 : 0.2) ? 1 : 0);
        double[] means = [0.2, 0.8];
        int newBest = 0;
        for (int t = 0; t < 5_000; t++)
        {
            int arm = policy.Choose(state, random);
            if (t >= 3_000 && arm == 1) newBest++;
            state.Observe(arm, random.NextDouble() < means[arm] ? 1 : 0);
        }
        return newBest / 2_000.0;
    }

    [Theory]
    [InlineData(PolicyFactory.Thompson)]
    [InlineData(PolicyFactory.Ucb1)]
    public void ADiscountedPolicyTracksASwitchOfTheBestArm(string name)
    {
        IBanditPolicy policy = PolicyFactory.Create(name, RewardKind.Binary);

        // With γ = 0.99 the evidence has an effective memory of 1/(1 − γ) = 100 rewards, so
        // 3,000 steps after the swap the old evidence weighs γ³⁰⁰⁰ ≈ 1e-13: the policy must
        // play the new best arm most of the time. Without discounting, arm a's mean after m
        // more plays is (2000 + 0.2m)/(2500 + m) ≥ 0.4 for all m ≤ 5,000, while arm b's
        // 2,500 rewards pin it near 0.2 (sd 0.008): b is starved.
        double discounted = ShareOfNewBestAfterSwitch(policy, 0.99, seed: 31);
        double stationary = ShareOfNewBestAfterSwitch(policy, 1.0, seed: 31);

        Assert.True(discounted > 0.8, $"discounted share {discounted:P1}");
        Assert.True(stationary < 0.5, $"stationary share {stationary:P1}");
    }
}
