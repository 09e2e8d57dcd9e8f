using Bandits.Core.Policies;
using Bandits.Core.Statistics;
using MathNet.Numerics.Distributions;

namespace Bandits.Core.Tests;

public class ScaleInvarianceTests
{
    /// <summary>Plays Gaussian Thompson sampling on revenue-like arms, rewards multiplied by <paramref name="unit"/>.</summary>
    private static (int[] Choices, BanditState State) Play(double unit)
    {
        var policy = new ThompsonGaussianPolicy();
        var state = new BanditState(RewardKind.Continuous);
        for (int i = 0; i < 3; i++) state.AddArm($"arm-{i}");
        double[] means = [10, 20, 40];
        var policyRandom = new Random(8);
        var rewardRandom = new Random(9);
        var choices = new int[3_000];
        for (int t = 0; t < choices.Length; t++)
        {
            int arm = choices[t] = policy.Choose(state, policyRandom);
            // Revenue: most visits pay nothing, some pay a Normal amount.
            double revenue = rewardRandom.NextDouble() < 0.3 ? Normal.Sample(rewardRandom, means[arm] / 0.3, 10) : 0;
            state.Observe(arm, revenue * unit);
        }
        return (choices, state);
    }

    [Fact]
    public void RevenueInCentsOrThousandsLearnsTheSame()
    {
        (int[] dollars, BanditState dollarState) = Play(1);
        (int[] cents, BanditState centState) = Play(100);
        (int[] thousands, _) = Play(0.001);

        // The prior scales with the data, so the t draws scale too: the argmax is the same
        // except where rounding of the scaled sums tips an exact near-tie.
        int differCents = dollars.Zip(cents).Count(p => p.First != p.Second);
        int differThousands = dollars.Zip(thousands).Count(p => p.First != p.Second);
        Assert.True(differCents <= 3 && differThousands <= 3, $"{differCents} and {differThousands} choices differ");
        // And it learns: the best arm (mean 40) is played most over the last third.
        int best = dollars.Skip(2_000).Count(a => a == 2);
        Assert.True(best > 600, $"best arm played {best} of the last 1,000 times");

        ArmSummary[] inDollars = PosteriorStatistics.Summarize(dollarState);
        ArmSummary[] inCents = PosteriorStatistics.Summarize(centState);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(inDollars[i].Mean * 100, inCents[i].Mean, 6);
            Assert.Equal(inDollars[i].Upper * 100, inCents[i].Upper, 6);
            Assert.Equal(inDollars[i].ProbabilityBest, inCents[i].ProbabilityBest, 6);
        }
    }

    [Fact]
    public void AnArmWhoseFirstRewardsAreEqualIsNotStarved()
    {
        // Arm 0's first two rewards are both 0 (zero sample variance). The pooled variance
        // prior keeps its posterior wide, so it is still chosen and found to be the best.
        var state = new BanditState(RewardKind.Continuous);
        state.AddArm("a");
        state.AddArm("b");
        state.Observe(0, 0);
        state.Observe(0, 0);
        for (int i = 0; i < 5; i++) state.Observe(1, 4 + i % 2);

        var policy = new ThompsonGaussianPolicy();
        var random = new Random(10);
        double[] means = [8, 4.5];
        int zeroChosen = 0;
        for (int t = 0; t < 2_000; t++)
        {
            int arm = policy.Choose(state, random);
            if (arm == 0) zeroChosen++;
            state.Observe(arm, Normal.Sample(random, means[arm], 2));
        }
        Assert.True(zeroChosen > 1_000, $"arm 0 chosen {zeroChosen} times");
    }
}
