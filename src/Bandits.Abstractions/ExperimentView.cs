namespace Bandits.Abstractions;

/// <summary>An experiment as the API shows it.</summary>
[GenerateSerializer, Immutable, Alias("bandits.experiment-view.v1")]
public sealed record ExperimentView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required ExperimentDefinition Definition { get; init; }
    [Id(2)] public required string Status { get; init; }
    [Id(3)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public required int Version { get; init; }

    /// <summary>
    /// Distinguishes this experiment from an earlier one of the same id that was deleted:
    /// decision ids are bound to it, so an old decision cannot reward a new experiment.
    /// </summary>
    [Id(5)] public required long Incarnation { get; init; }

    /// <summary>Every arm ever defined, by index (retired ones included); decision ids refer to these indices.</summary>
    [Id(6)] public required IReadOnlyList<string> AllArms { get; init; }

    /// <summary>The arm every choice answers while <see cref="Status"/> is concluded, else null.</summary>
    [Id(7)] public string? Winner { get; init; }
}
