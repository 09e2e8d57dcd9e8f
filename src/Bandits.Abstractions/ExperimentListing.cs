namespace Bandits.Abstractions;

/// <summary>
/// One experiment's line in the list (GET /v1/experiments): what an analyst needs to pick it.
/// Written with each snapshot of the experiment and read from the database, so that listing
/// loads no experiment.
/// </summary>
[GenerateSerializer, Immutable, Alias("bandits.experiment-listing.v1")]
public sealed record ExperimentListing
{
    [Id(0)] public required ExperimentView Experiment { get; init; }

    [Id(1)] public required long Decisions { get; init; }

    [Id(2)] public required long Rewards { get; init; }

    /// <summary>The recommended arm, else the arm most likely to be best; null without active arms.</summary>
    [Id(3)] public string? Leader { get; init; }

    /// <summary>The leader's posterior probability of being best, null without a leader.</summary>
    [Id(4)] public double? LeaderProbabilityBest { get; init; }

    /// <summary>When the definition, lifecycle or learned state last changed.</summary>
    [Id(5)] public required DateTimeOffset LastActivity { get; init; }
}
