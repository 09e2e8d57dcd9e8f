using Bandits.Core.Policies;
using Bandits.Core.Posteriors;

namespace Bandits.Core.Tests;

public class PolicyTests
{
    public static TheoryData<string, RewardKind> EveryPolicy() => new()
    {
        { PolicyFactory.Thompson, RewardKind.Binary },
        { PolicyFactory.Thompson, RewardKind.Continuous },
        { PolicyFactory.Ucb1, RewardKind.Binary },
        { PolicyFactory.Ucb1, RewardKind.Continuous },
        { PolicyFactory.KlUcb, RewardKind.Binary },
        { PolicyFactory.EpsilonGreedy, RewardKind.Binary },
        { PolicyFactory.EpsilonGreedy, RewardKind.Continuous },
    };

    [Theory]
    [MemberData(nameof(EveryPolicy))]
    public void ARetiredArmIsNeverChosenAndHasProbabilityZero(string name, RewardKind kind)
    {
        IBanditPolicy policy = PolicyFactory.Create(name, kind);
        var state = new BanditState(kind);
        for (int i = 0; i < 3; i++) state.AddArm($"arm-{i}");
        // Arm 0 is by far the best; retire it.
        for (int n = 0; n < 50; n++)
        {
            state.Observe(0, 1);
            state.Observe(1, n % 2);
            state.Observe(2, 0);
        }
        state.RetireArm(0);

        var random = new Random(11);
        for (int n = 0; n < 5_000; n++)
        {
            int arm = policy.Choose(state, random);
            Assert.NotEqual(0, arm);
            state.Observe(arm, random.Next(2));
        }
        var probabilities = new double[3];
        policy.ChoiceProbabilities(state, probabilities);
        Assert.Equal(0, probabilities[0]);
        Assert.Equal(1, probabilities.Sum(), 9);
    }

    [Theory]
    [MemberData(nameof(EveryPolicy))]
    public void ChoosingWithoutAnActiveArmFailsClearly(string name, RewardKind kind)
    {
        IBanditPolicy policy = PolicyFactory.Create(name, kind);
        var state = new BanditState(kind);
        state.AddArm("only");
        state.RetireArm(0);

        var error = Assert.Throws<InvalidOperationException>(() => policy.Choose(state, new Random(1)));
        Assert.Contains("no active arm", error.Message);
    }

    [Theory]
    [MemberData(nameof(EveryPolicy))]
    public void TheSameSeedGivesTheSameChoices(string name, RewardKind kind)
    {
        int[] Run()
        {
            IBanditPolicy policy = PolicyFactory.Create(name, kind);
            var state = new BanditState(kind);
            for (int i = 0; i < 4; i++) state.AddArm($"arm-{i}");
            var random = new Random(5);
            var choices = new int[300];
            for (int t = 0; t < choices.Length; t++)
            {
                choices[t] = policy.Choose(state, random);
                state.Observe(choices[t], choices[t] == 3 ? 1 : random.Next(2));
            }
            return choices;
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void EpsilonGreedyProbabilitiesAreExact()
    {
        BanditState state = TestStates.Binary((5, 10), (8, 10), (8, 10), (1, 10));
        var policy = new EpsilonGreedyPolicy(0.2);
        var probabilities = new double[4];
        policy.ChoiceProbabilities(state, probabilities);

        // ε/K to everyone, (1 − ε) split between the two tied leaders.
        Assert.Equal([0.05, 0.45, 0.45, 0.05], probabilities.Select(p => Math.Round(p, 12)));
        AssertFrequenciesMatch(policy, state, probabilities, seed: 21);
    }

    [Fact]
    public void ThompsonProbabilitiesAreTheFrequenciesOfItsChoices()
    {
        BanditState state = TestStates.Binary((3, 10), (5, 12), (2, 4), (0, 0));
        var policy = new ThompsonBernoulliPolicy();
        var probabilities = new double[4];
        policy.ChoiceProbabilities(state, probabilities);

        AssertFrequenciesMatch(policy, state, probabilities, seed: 22);
    }

    [Fact]
    public void GaussianThompsonProbabilitiesAreTheFrequenciesOfItsChoices()
    {
        var state = new BanditState(RewardKind.Continuous);
        var random = new Random(4);
        for (int i = 0; i < 3; i++) state.AddArm($"arm-{i}");
        for (int n = 0; n < 6; n++)
            for (int i = 0; i < 3; i++) state.Observe(i, 100 + 10 * i + 25 * MathNet.Numerics.Distributions.Normal.Sample(random, 0, 1));
        var policy = new ThompsonGaussianPolicy();
        var probabilities = new double[3];
        policy.ChoiceProbabilities(state, probabilities);

        AssertFrequenciesMatch(policy, state, probabilities, seed: 23);
    }

    [Fact]
    public void UcbSplitsTiesEvenlyAndOtherwisePlaysTheArgmax()
    {
        BanditState tied = TestStates.Binary((2, 4), (2, 4));
        var policy = new Ucb1Policy();
        var probabilities = new double[2];
        policy.ChoiceProbabilities(tied, probabilities);
        Assert.Equal([0.5, 0.5], probabilities);
        AssertFrequenciesMatch(policy, tied, probabilities, seed: 24);

        BanditState clear = TestStates.Binary((2, 4), (3, 4));
        policy.ChoiceProbabilities(clear, probabilities);
        Assert.Equal([0.0, 1.0], probabilities);
    }

    [Fact]
    public void UntriedArmsComeFirstForIndexPolicies()
    {
        BanditState state = TestStates.Binary((9, 10), (0, 0), (5, 10));
        Assert.Equal(1, new Ucb1Policy().Choose(state, new Random(1)));
        Assert.Equal(1, new KlUcbPolicy().Choose(state, new Random(1)));
    }

    [Fact]
    public void KlUcbIndexIsTheLargestMeanWithinTheDivergenceBudget()
    {
        foreach ((double p, double d) in new[] { (0.3, 0.01), (0.0, 0.2), (0.9, 0.05), (0.5, 2.0), (0.02, 1e-6) })
        {
            double q = KlUcbPolicy.UpperConfidence(p, d);
            Assert.InRange(q, p, 1);
            if (q < 1) Assert.Equal(d, KlUcbPolicy.Divergence(p, q), 6);
        }
    }

    [Fact]
    public void DecayingEpsilonFollowsAuerEtAlSchedule()
    {
        EpsilonSchedule schedule = EpsilonSchedule.Decaying(5);
        Assert.Equal(1, schedule.At(10, 10));
        Assert.Equal(0.05, schedule.At(1000, 10), 12);
        Assert.Equal(0.005, schedule.At(10_000, 10), 12);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void EpsilonOutsideTheUnitIntervalIsRejected(double epsilon)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new EpsilonGreedyPolicy(epsilon));
        Assert.Contains("[0, 1]", error.Message);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, -2)]
    [InlineData(double.NaN, 1)]
    [InlineData(1, double.PositiveInfinity)]
    public void BetaPriorParametersMustBePositiveAndFinite(double alpha, double beta)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BetaPrior(alpha, beta));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(double.NaN, 1)]
    [InlineData(1, double.NegativeInfinity)]
    public void NormalPriorWeightsMustBePositiveAndFinite(double meanWeight, double varianceWeight)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NormalPrior(meanWeight, varianceWeight));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void KlUcbConstantMustBeNonNegative(double c)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KlUcbPolicy(c));
        Assert.Throws<ArgumentOutOfRangeException>(() => EpsilonSchedule.Decaying(c));
    }

    [Fact]
    public void FactoryRejectsUnknownNamesAndUnsupportedRewardKinds()
    {
        var unknown = Assert.Throws<ArgumentException>(() => PolicyFactory.Create("greedy", RewardKind.Binary));
        Assert.Contains("thompson", unknown.Message);
        Assert.Throws<ArgumentException>(() => PolicyFactory.Create(PolicyFactory.KlUcb, RewardKind.Continuous));
        Assert.IsType<ThompsonGaussianPolicy>(PolicyFactory.Create(PolicyFactory.Thompson, RewardKind.Continuous));
        Assert.IsType<EpsilonGreedyPolicy>(PolicyFactory.Create(PolicyFactory.EpsilonGreedy, RewardKind.Binary, new PolicyOptions { EpsilonDecay = 5 }));
    }

    /// <summary>
    /// Each arm's choice frequency over N draws is Binomial(N, p)/N: within 5 standard errors
    /// √(p(1−p)/N) of p (a two-sided tail of 6e-7 per arm).
    /// </summary>
    private static void AssertFrequenciesMatch(IBanditPolicy policy, BanditState state, double[] probabilities, int seed)
    {
        const int draws = 100_000;
        var counts = new int[probabilities.Length];
        var random = new Random(seed);
        for (int n = 0; n < draws; n++) counts[policy.Choose(state, random)]++;
        for (int i = 0; i < probabilities.Length; i++)
        {
            double p = probabilities[i];
            double tolerance = 5 * Math.Sqrt(p * (1 - p) / draws) + 1e-12;
            Assert.InRange((double)counts[i] / draws, p - tolerance, p + tolerance);
        }
    }
}
