using Bandits.Abstractions;

namespace Bandits.Server.Api;

/// <summary>Body of PUT /v1/experiments/{id}; absent fields take the documented defaults.</summary>
public sealed record ExperimentRequest : IValidatedBody
{
    public List<string>? Arms { get; init; }
    public string? Policy { get; init; }
    public string? RewardKind { get; init; }
    public double? DefaultReward { get; init; }
    public long? RewardWindowSeconds { get; init; }
    public double? Epsilon { get; init; }
    public double? Discount { get; init; }
    public long? MinimumDecisionsPerArm { get; init; }
    public double? AcceptableLoss { get; init; }

    public Dictionary<string, string[]>? Errors() => ExperimentValidation.Errors(this);

    /// <summary>The definition this request sets; only for a request without <see cref="Errors"/>.</summary>
    public ExperimentDefinition ToDefinition() => ExperimentValidation.ToDefinition(this);
}
