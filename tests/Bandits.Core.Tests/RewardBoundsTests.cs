using Bandits.Core.Policies;
using Bandits.Core.Statistics;

namespace Bandits.Core.Tests;

/// <summary>No reward the models accept can make a later answer fail: every figure stays finite.</summary>
public class RewardBoundsTests
{
    [Theory]
    [InlineData(RewardKind.Continuous, 1e12, true)]
    [InlineData(RewardKind.Continuous, -1e12, true)]
    [InlineData(RewardKind.Continuous, 1.0000001e12, false)]
    [InlineData(RewardKind.Continuous, 1e200, false)]
    [InlineData(RewardKind.Continuous, double.PositiveInfinity, false)]
    [InlineData(RewardKind.Continuous, double.NaN, false)]
    [InlineData(RewardKind.Binary, 1, true)]
    [InlineData(RewardKind.Binary, -0.0, true)]
    [InlineData(RewardKind.Binary, 1.5, false)]
    public void TheBoundIsOneRule(RewardKind kind, double reward, bool valid)
    {
        Assert.Equal(valid, RewardBounds.IsValid(kind, reward));
        var state = new BanditState(kind);
        state.AddArm("a");
        if (valid) state.Observe(0, reward);
        else Assert.Throws<ArgumentOutOfRangeException>(() => state.Observe(0, reward));
    }

    [Theory]
    [InlineData(PolicyFactory.Thompson)]
    [InlineData(PolicyFactory.Ucb1)]
    [InlineData(PolicyFactory.EpsilonGreedy)]
    public void ExtremeRewardsAtTheBoundKeepEveryFigureFinite(string policy)
    {
        // The worst case the bound allows: alternating extremes, the largest spread there is.
        var state = new BanditState(RewardKind.Continuous, discount: 0.999);
        state.AddArm("low");
        state.AddArm("high");
        for (int i = 0; i < 10_000; i++)
        {
            state.Observe(0, i % 2 == 0 ? RewardBounds.MaxMagnitude : -RewardBounds.MaxMagnitude);
            state.Observe(1, RewardBounds.MaxMagnitude);
        }

        IBanditPolicy instance = PolicyFactory.Create(policy, RewardKind.Continuous);
        Span<double> probabilities = stackalloc double[2];
        instance.ChoiceProbabilities(state, probabilities);
        Assert.All(probabilities.ToArray(), p => Assert.True(double.IsFinite(p) && p >= 0 && p <= 1));
        Assert.InRange(instance.Choose(state, new Random(1)), 0, 1);
        foreach (ArmSummary arm in PosteriorStatistics.Summarize(state))
        {
            double[] figures = [arm.Mean, arm.Lower, arm.Upper, arm.ProbabilityBest, arm.ExpectedLoss, arm.RewardSum];
            Assert.All(figures, f => Assert.True(double.IsFinite(f), $"{arm.Name}: {string.Join(", ", figures)}"));
        }
    }
}
