namespace Bandits.Core.Simulation;

/// <summary>One simulated environment and how the policy is fed, shared by all runs.</summary>
public sealed record SimulationSettings
{
    /// <summary>True mean reward of each arm; if null, <see cref="RandomArms"/> means are drawn per run.</summary>
    public IReadOnlyList<double>? ArmMeans { get; init; }

    /// <summary>Number of arms whose means are drawn from Beta(a, b) anew in every run.</summary>
    public int RandomArms { get; init; }

    /// <summary>The Beta(a, b) that random arm means (and replacement arms) are drawn from.</summary>
    public (double A, double B) MeanPrior { get; init; } = (1, 1);

    /// <summary>Number of decisions per run, T.</summary>
    public long Horizon { get; init; } = 10_000;

    /// <summary>The policy learns only every δ steps, from the rewards gathered since (δ = 1: at once).</summary>
    public int Delay { get; init; } = 1;

    /// <summary>Each step, with this probability one active arm is retired and replaced by a fresh arm.</summary>
    public double ReplaceProbability { get; init; }

    /// <summary>If set, rewards are Normal(μ, σ²) with this σ (continuous); otherwise Bernoulli(μ).</summary>
    public double? GaussianNoise { get; init; }

    /// <summary>The state's discount factor γ ∈ (0, 1].</summary>
    public double Discount { get; init; } = 1;

    /// <summary>The reward kind the policy sees.</summary>
    public RewardKind RewardKind => GaussianNoise is null ? RewardKind.Binary : RewardKind.Continuous;

    /// <summary>Throws a clear exception for settings that cannot be simulated.</summary>
    public void Validate()
    {
        if (ArmMeans is null && RandomArms < 1)
            throw new ArgumentException("Give the arms' means or a number of random arms.");
        if (ArmMeans is { Count: 0 }) throw new ArgumentException("At least one arm is needed.");
        if (ArmMeans is not null)
        {
            foreach (double mean in ArmMeans)
            {
                if (GaussianNoise is null) Guard.Probability(mean, "arm mean");
                else Guard.Finite(mean, "arm mean");
            }
        }
        Guard.Positive(MeanPrior.A, "a");
        Guard.Positive(MeanPrior.B, "b");
        if (Horizon < 1) throw new ArgumentOutOfRangeException(nameof(Horizon), Horizon, "The horizon must be at least 1.");
        if (Delay < 1) throw new ArgumentOutOfRangeException(nameof(Delay), Delay, "The delay must be at least 1.");
        Guard.Probability(ReplaceProbability, nameof(ReplaceProbability));
        if (GaussianNoise is { } sigma) Guard.Positive(sigma, "σ");
        Guard.Discount(Discount, nameof(Discount));
    }
}
