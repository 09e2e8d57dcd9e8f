namespace Bandits.Abstractions;

/// <summary>Result of creating or updating an experiment.</summary>
[GenerateSerializer, Immutable, Alias("bandits.put-outcome.v1")]
public sealed record PutOutcome
{
    /// <summary>The experiment after the change, or null when the change was refused.</summary>
    [Id(0)] public ExperimentView? Experiment { get; init; }

    /// <summary>Whether the experiment did not exist before.</summary>
    [Id(1)] public bool Created { get; init; }

    /// <summary>Why the change was refused (a conflict with the existing experiment), or null.</summary>
    [Id(2)] public string? Conflict { get; init; }
}
