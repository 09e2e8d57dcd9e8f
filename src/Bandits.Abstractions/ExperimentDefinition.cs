namespace Bandits.Abstractions;

/// <summary>What an administrator sets for an experiment (the body of PUT /v1/experiments/{id}).</summary>
[GenerateSerializer, Immutable, Alias("bandits.experiment-definition.v1")]
public sealed record ExperimentDefinition
{
    /// <summary>Names of the active arms, in order.</summary>
    [Id(0)] public required IReadOnlyList<string> Arms { get; init; }

    /// <summary>Policy name: thompson, ucb1, kl-ucb or epsilon-greedy.</summary>
    [Id(1)] public string Policy { get; init; } = "thompson";

    /// <summary>binary or continuous.</summary>
    [Id(2)] public string RewardKind { get; init; } = "binary";

    /// <summary>Reward given to a decision that receives none within the window; null for none.</summary>
    [Id(3)] public double? DefaultReward { get; init; }

    /// <summary>How long a decision may be rewarded.</summary>
    [Id(4)] public long RewardWindowSeconds { get; init; } = 86_400;

    /// <summary>ε of epsilon-greedy.</summary>
    [Id(5)] public double Epsilon { get; init; } = 0.1;

    /// <summary>Discount factor γ ∈ (0, 1].</summary>
    [Id(6)] public double Discount { get; init; } = 1.0;
}
