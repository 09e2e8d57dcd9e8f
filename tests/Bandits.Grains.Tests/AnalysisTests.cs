using Bandits.Abstractions;
using Bandits.Core.Statistics;
using Bandits.Grains.Analysis;

namespace Bandits.Grains.Tests;

/// <summary>The plain classes behind the recommendation and the health: their rules and their words.</summary>
public sealed class AnalysisTests
{
    private static readonly ExperimentDefinition TwoArms = new() { Arms = ["good", "bad"], MinimumDecisionsPerArm = 100 };

    [Theory]
    [InlineData(0.978, "97.8%")]
    [InlineData(0.95, "95%")]
    [InlineData(0.005, "0.5%")]
    [InlineData(0.00005, "under 0.01%")]
    public void PercentagesReadAsPeopleWriteThem(double share, string text) => Assert.Equal(text, PlainNumbers.Percent(share));

    [Theory]
    [InlineData(8.26e-6, "8.3 × 10⁻⁶")]
    [InlineData(0.0014, "0.0014")]
    [InlineData(12.5, "12.5")]
    [InlineData(123456, "123,456")]
    [InlineData(0, "0")]
    public void AmountsHaveNoExponentNotation(double value, string text) => Assert.Equal(text, PlainNumbers.Amount(value));

    [Fact]
    public void TheRecommendationWaitsForTheBurnInThenForTheEvidence()
    {
        ArmSummary[] clear = [Arm("good", 0.9, 0.999, 1e-5), Arm("bad", 0.1, 0.001, 0.8)];
        Assert.StartsWith("Burn-in", RecommendationRule.Recommend(clear, [99, 500], TwoArms).Reason);

        Recommendation ready = RecommendationRule.Recommend(clear, [100, 500], TwoArms);
        Assert.True(ready.Ready, ready.Reason);
        Assert.Equal("good", ready.Winner);

        // P(best) high but the loss still above 1% of the best mean: not yet.
        ArmSummary[] wide = [Arm("good", 0.9, 0.96, 0.02), Arm("bad", 0.1, 0.04, 0.8)];
        Recommendation notYet = RecommendationRule.Recommend(wide, [100, 500], TwoArms);
        Assert.False(notYet.Ready);
        Assert.Contains("more than 1% of the best mean", notYet.Reason);
    }

    [Fact]
    public void NoArmIsCalledStarvedWhileTheTrafficIsUnknown()
    {
        ArmSummary[] arms = [Arm("good", 0.5, 0.5, 0.01), Arm("bad", 0.5, 0.5, 0.01)];
        ArmLogCounts[] counts = [new(100, 0, 0), new(100, 0, 0)];
        Assert.Empty(HealthCheck.Check(arms, counts, [500, 500], [0, 0], null, TwoArms).Warnings);
        Assert.Contains(HealthCheck.Check(arms, counts, [500, 500], [0.995, 0.005], null, TwoArms).Warnings, w => w.Contains("'bad' is starved"));
    }

    [Fact]
    public void SeededTrafficSharesFollowTheCountsWithinTheWindow()
    {
        var tally = new TrafficTally(window: 1000);
        tally.Seed(new Dictionary<int, long> { [0] = 30_000, [2] = 10_000 });
        IReadOnlyList<double> shares = tally.Shares(3);
        Assert.Equal(0.75, shares[0], 12);
        Assert.Equal(0, shares[1]);
        Assert.Equal(0.25, shares[2], 12);
        // New decisions move the shares as fast as after 1,000 counted ones, not after 40,000.
        for (int i = 0; i < 1000; i++) tally.Count(1);
        Assert.InRange(tally.Shares(3)[1], 0.55, 0.7); // 1 − e⁻¹ ≈ 0.63
    }

    private static ArmSummary Arm(string name, double mean, double best, double loss) =>
        new(name, false, 1000, mean * 1000, mean, mean - 0.01, mean + 0.01, best, loss, new Bandits.Core.ArmEvidence(1000, mean, 0));
}
