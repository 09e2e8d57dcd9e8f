using Bandits.Abstractions;
using Bandits.Grains.Serving;

namespace Bandits.Grains.Tests;

/// <summary>Choices are draws from the copy's exact probabilities, and a user id fixes its draw.</summary>
public sealed class ServingModelTests
{
    private static readonly string[] Arms = ["a", "b", "c", "d"];

    [Fact]
    public void ArmsAreChosenWithTheirProbabilities()
    {
        double[] p = [0.5, 0.3, 0, 0.2];
        var model = new ServingModel(Copy(p));
        var random = new Random(20261203);
        const int n = 200_000;
        var counts = new int[p.Length];
        for (int i = 0; i < n; i++) counts[model.Choose(null, random)]++;

        Assert.Equal(0, counts[2]); // probability 0: never
        for (int arm = 0; arm < p.Length; arm++)
        {
            // Each count is Binomial(n, p): 5 standard deviations leave a chance below 1e-6 per arm of a false failure.
            double sd = Math.Sqrt(n * p[arm] * (1 - p[arm]));
            Assert.InRange(counts[arm], n * p[arm] - 5 * sd, n * p[arm] + 5 * sd);
            Assert.Equal(p[arm], model.Propensity(arm));
        }
    }

    [Fact]
    public void AUserKeepsTheirArmUntilTheProbabilitiesMoveAcrossTheirNumber()
    {
        string[] users = [.. Enumerable.Range(0, 2000).Select(i => $"user-{i}")];
        var before = new ServingModel(Copy([0.25, 0.25, 0.25, 0.25], publication: 1));
        var after = new ServingModel(Copy([0.24, 0.26, 0.25, 0.25], publication: 2));
        int moved = users.Count(u => before.Choose(u, Random.Shared) != after.Choose(u, Random.Shared));

        // Only users whose number lies in [0.24, 0.25) move (from a to b): about 1% of them.
        // Binomial(2000, 0.01): mean 20, sd 4.45; 0 to 45 is beyond 4 sd on both sides.
        Assert.InRange(moved, 0, 45);
        Assert.All(users, u => Assert.Equal(before.Choose(u, new Random(1)), new ServingModel(Copy([0.25, 0.25, 0.25, 0.25], publication: 9)).Choose(u, new Random(2))));
    }

    [Fact]
    public void UsersSpreadOverTheArmsAsTheProbabilitiesSay()
    {
        var model = new ServingModel(Copy([0.1, 0.6, 0.3, 0]));
        const int n = 20_000;
        var counts = new int[4];
        for (int i = 0; i < n; i++) counts[model.Choose($"u{i}", Random.Shared)]++;
        Assert.Equal(0, counts[3]);
        double[] p = [0.1, 0.6, 0.3];
        for (int arm = 0; arm < 3; arm++)
        {
            double sd = Math.Sqrt(n * p[arm] * (1 - p[arm])); // the hash is as good as uniform: binomial bounds, 5 sd
            Assert.InRange(counts[arm], n * p[arm] - 5 * sd, n * p[arm] + 5 * sd);
        }
    }

    [Fact]
    public void AUsersArmsInTwoExperimentsAreIndependent()
    {
        var first = new ServingModel(Copy([0.5, 0.5, 0, 0], id: "hero"));
        var second = new ServingModel(Copy([0.5, 0.5, 0, 0], id: "pricing"));
        const int n = 20_000;
        int same = Enumerable.Range(0, n).Count(i => first.Choose($"u{i}", Random.Shared) == second.Choose($"u{i}", Random.Shared));
        // Independent halves agree for a user with probability 1/2: Binomial(n, 1/2), 5 standard deviations.
        double sd = Math.Sqrt(n * 0.25);
        Assert.InRange(same, n / 2 - 5 * sd, n / 2 + 5 * sd);
    }

    private static ServingCopy Copy(double[] probabilities, long publication = 1, string id = "x") => new(new ExperimentView
    {
        Id = id, Definition = new ExperimentDefinition { Arms = Arms }, Status = "running", CreatedAt = DateTimeOffset.UnixEpoch,
        Version = 1, Incarnation = 1, AllArms = Arms,
    }, publication, probabilities);
}
