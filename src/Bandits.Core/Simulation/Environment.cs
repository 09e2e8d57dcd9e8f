using MathNet.Numerics.Distributions;

namespace Bandits.Core.Simulation;

/// <summary>
/// The true arms of one simulated run, kept index-aligned with the policy's
/// <see cref="BanditState"/>: arm i of the state is arm i here.
/// </summary>
internal sealed class Environment
{
    private readonly List<double> means = [];
    private readonly SimulationSettings settings;
    private readonly Random random;

    public Environment(SimulationSettings settings, Random random, BanditState state)
    {
        this.settings = settings;
        this.random = random;
        if (settings.ArmMeans is { } given)
            foreach (double mean in given) Add(state, mean);
        else
            for (int i = 0; i < settings.RandomArms; i++) Add(state, DrawMean());
        UpdateBest(state);
    }

    /// <summary>The highest mean among the arms present now.</summary>
    public double BestMean { get; private set; }

    public IReadOnlyList<double> Means => means;

    public double Mean(int arm) => means[arm];

    public double Reward(int arm) => settings.GaussianNoise is { } sigma
        ? Normal.Sample(random, means[arm], sigma)
        : random.NextDouble() < means[arm] ? 1 : 0;

    /// <summary>With the settings' probability, retires a random active arm and adds a fresh one.</summary>
    public void MaybeReplace(BanditState state)
    {
        if (settings.ReplaceProbability <= 0 || random.NextDouble() >= settings.ReplaceProbability) return;
        int pick = random.Next(state.ActiveArmCount);
        for (int i = 0; i < state.ArmCount; i++)
        {
            if (state.IsActive(i) && pick-- == 0)
            {
                state.RetireArm(i);
                break;
            }
        }
        Add(state, DrawMean());
        UpdateBest(state);
    }

    private double DrawMean() => Beta.Sample(random, settings.MeanPrior.A, settings.MeanPrior.B);

    private void Add(BanditState state, double mean)
    {
        state.AddArm($"arm-{means.Count}");
        means.Add(mean);
    }

    private void UpdateBest(BanditState state)
    {
        BestMean = double.NegativeInfinity;
        for (int i = 0; i < means.Count; i++)
            if (state.IsActive(i)) BestMean = Math.Max(BestMean, means[i]);
    }
}
