namespace Bandits.Abstractions;

/// <summary>The arm chosen for one request, and how it can be rewarded.</summary>
[GenerateSerializer, Immutable, Alias("bandits.decision.v1")]
public sealed record Decision(
    [property: Id(0)] string ExperimentId,
    [property: Id(1)] string DecisionId,
    [property: Id(2)] string Arm,
    [property: Id(3)] double Propensity);
