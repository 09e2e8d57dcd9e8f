using Bandits.Core.Posteriors;

namespace Bandits.Core.Tests;

public class BanditStateTests
{
    private static BanditState BinaryState(params string[] arms)
    {
        var state = new BanditState(RewardKind.Binary);
        foreach (string arm in arms) state.AddArm(arm);
        return state;
    }

    [Fact]
    public void BetaPosteriorAddsRewardsToAlphaAndTheirComplementsToBeta()
    {
        BanditState state = BinaryState("a");
        foreach (double reward in new[] { 1, 0, 1, 1, 0.25 }) state.Observe(0, reward);

        BetaPosterior posterior = new BetaPrior(2, 3).Posterior(state.Evidence(0));

        // α = 2 + (1 + 0 + 1 + 1 + 0.25), β = 3 + (0 + 1 + 0 + 0 + 0.75)
        Assert.Equal(5.25, posterior.Alpha, 12);
        Assert.Equal(4.75, posterior.Beta, 12);
    }

    [Fact]
    public void EvidenceHoldsTheExactMeanAndSquaredDeviations()
    {
        double[] rewards = [1234.5, -3, 0, 17.25, 99, 1e-3, 5000];
        var state = new BanditState(RewardKind.Continuous);
        state.AddArm("a");
        foreach (double r in rewards) state.Observe(0, r);

        ArmEvidence e = state.Evidence(0);
        double mean = rewards.Average();
        Assert.Equal(rewards.Length, e.Weight);
        Assert.Equal(mean, e.Mean, 9);
        Assert.Equal(rewards.Sum(r => (r - mean) * (r - mean)), e.SquaredDeviations, 6);
        Assert.Equal(rewards.Length, state.Arms[0].Observations);
        Assert.Equal(rewards.Sum(), state.Arms[0].RewardSum, 9);
    }

    [Fact]
    public void PooledEvidenceEqualsTheEvidenceOfAllRewardsTogether()
    {
        var state = new BanditState(RewardKind.Continuous);
        state.AddArm("a");
        state.AddArm("b");
        double[] a = [1, 2, 3], b = [10, 20];
        foreach (double r in a) state.Observe(0, r);
        foreach (double r in b) state.Observe(1, r);

        ArmEvidence pooled = state.PooledEvidence();
        double[] all = [.. a, .. b];
        double mean = all.Average();
        Assert.Equal(5, pooled.Weight);
        Assert.Equal(mean, pooled.Mean, 12);
        Assert.Equal(all.Sum(r => (r - mean) * (r - mean)), pooled.SquaredDeviations, 9);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.97)]
    public void ABatchGivesExactlyTheStateOfTheSameRewardsOneByOne(double discount)
    {
        var random = new Random(7);
        var batch = new Observation[500];
        for (int i = 0; i < batch.Length; i++) batch[i] = new Observation(random.Next(3), random.NextDouble());

        var sequential = new BanditState(RewardKind.Binary, discount);
        var batched = new BanditState(RewardKind.Binary, discount);
        foreach (string arm in new[] { "a", "b", "c" })
        {
            sequential.AddArm(arm);
            batched.AddArm(arm);
        }
        foreach (Observation o in batch) sequential.Observe(o.Arm, o.Reward);
        batched.Observe(batch.AsSpan(0, 200));
        batched.Observe(batch.AsSpan(200));

        Assert.Equal(sequential.Step, batched.Step);
        Assert.Equal(sequential.Arms.ToArray(), batched.Arms.ToArray());
    }

    [Fact]
    public void ABatchWithOneInvalidRewardAppliesNothing()
    {
        BanditState state = BinaryState("a", "b");
        state.Observe(0, 1);
        ArmStatistics[] before = state.Arms.ToArray();

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            state.Observe([new Observation(0, 1), new Observation(1, double.NaN), new Observation(1, 0)]));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            state.Observe([new Observation(0, 1), new Observation(7, 1)]));

        Assert.Equal(before, state.Arms.ToArray());
        Assert.Equal(1, state.Step);
    }

    [Fact]
    public void LazyDiscountEqualsDiscountingEveryArmAtEveryStep()
    {
        const double gamma = 0.9;
        var state = new BanditState(RewardKind.Binary, gamma);
        state.AddArm("a");
        state.AddArm("b");
        var random = new Random(3);
        double[] weight = new double[2], sum = new double[2];
        for (int t = 0; t < 200; t++)
        {
            int arm = random.Next(10) < 8 ? 0 : 1;
            double reward = random.Next(2);
            state.Observe(arm, reward);
            // The definition: every arm decays by γ, then the observed arm gains the reward.
            for (int i = 0; i < 2; i++) (weight[i], sum[i]) = (weight[i] * gamma, sum[i] * gamma);
            weight[arm] += 1;
            sum[arm] += reward;
        }

        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(weight[i], state.Evidence(i).Weight, 10);
            Assert.Equal(sum[i], state.Evidence(i).Sum, 10);
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    public void BinaryStateRejectsRewardsOutsideTheUnitInterval(double reward)
    {
        BanditState state = BinaryState("a");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => state.Observe(0, reward));
        Assert.Contains("[0, 1]", error.Message);
        Assert.Equal(0, state.Step);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void ContinuousStateRejectsNonFiniteRewards(double reward)
    {
        var state = new BanditState(RewardKind.Continuous);
        state.AddArm("a");
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Observe(0, reward));
        Assert.Equal(0, state.Evidence(0).Weight);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.0000001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void DiscountOutsideZeroToOneIsRejected(double discount)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BanditState(RewardKind.Binary, discount));
        Assert.Contains("(0, 1]", error.Message);
    }

    [Fact]
    public void DuplicateArmNamesAreRejected()
    {
        BanditState state = BinaryState("a");
        Assert.Throws<ArgumentException>(() => state.AddArm("a"));
        Assert.Equal(1, state.ArmCount);
    }

    [Fact]
    public void RetiringAnArmKeepsItsStatistics()
    {
        BanditState state = BinaryState("a", "b");
        state.Observe(1, 1);
        state.RetireArm(1);

        Assert.False(state.IsActive(1));
        Assert.Equal(1, state.ActiveArmCount);
        Assert.Equal(1, state.Arms[1].Observations);
        Assert.Equal(1, state.Evidence(1).Weight);
    }

    [Fact]
    public void AnArmAddedLaterStartsFromThePrior()
    {
        BanditState state = BinaryState("a");
        for (int i = 0; i < 10; i++) state.Observe(0, 1);
        int added = state.AddArm("b");

        Assert.Equal(ArmEvidence.None, state.Evidence(added));
        Assert.Equal(1, BetaPrior.Uniform.Posterior(state.Evidence(added)).Alpha);
    }

    [Fact]
    public void ARestoredStateIsIndistinguishableFromTheOriginal()
    {
        var original = new BanditState(RewardKind.Binary, 0.99);
        original.AddArm("a");
        original.AddArm("b");
        original.AddArm("c");
        original.Observe([new(0, 1), new(1, 0), new(2, 0.5), new(0, 1)]);
        original.RetireArm(2);

        BanditState restored = BanditState.Restore(original.RewardKind, original.Discount, original.Step, original.Arms.ToArray());
        original.Observe(1, 1);
        restored.Observe(1, 1);

        Assert.Equal(original.Arms.ToArray(), restored.Arms.ToArray());
        Assert.Equal(original.ActiveArmCount, restored.ActiveArmCount);
        Assert.Equal(1, restored.IndexOf("b"));
    }

    [Fact]
    public void RestoreRejectsNegativeCountsAndNonFiniteValues()
    {
        ArmStatistics good = ArmStatistics.Fresh("a", 0);
        Assert.Throws<ArgumentException>(() => BanditState.Restore(RewardKind.Binary, 1, 0, [good with { Weight = -1 }]));
        Assert.Throws<ArgumentException>(() => BanditState.Restore(RewardKind.Binary, 1, 0, [good with { Observations = -1 }]));
        Assert.Throws<ArgumentException>(() => BanditState.Restore(RewardKind.Binary, 1, 0, [good with { Mean = double.NaN }]));
        Assert.Throws<ArgumentException>(() => BanditState.Restore(RewardKind.Binary, 1, 0, [good with { Weight = 2, Mean = 1.5 }]));
        Assert.Throws<ArgumentException>(() => BanditState.Restore(RewardKind.Binary, 1, 0, [good with { Step = 3 }]));
    }

    /// <summary>Small states find names by a scan, large ones by a dictionary: both must agree, across the switch.</summary>
    [Theory]
    [InlineData(3)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(200)]
    public void EveryArmIsFoundByNameAndNamesStayUnique(int count)
    {
        BanditState state = BinaryState([.. Enumerable.Range(0, count).Select(i => $"arm-{i}")]);
        BanditState restored = BanditState.Restore(RewardKind.Binary, 1, 0, state.Arms.ToArray());

        foreach (BanditState s in new[] { state, restored })
        {
            for (int i = 0; i < count; i++) Assert.Equal(i, s.IndexOf($"arm-{i}"));
            Assert.Equal(-1, s.IndexOf("missing"));
            Assert.Throws<ArgumentException>(() => s.AddArm($"arm-{count / 2}"));
            Assert.Equal(count, s.AddArm("new"));
            Assert.Equal(count, s.IndexOf("new"));
        }
    }
}
