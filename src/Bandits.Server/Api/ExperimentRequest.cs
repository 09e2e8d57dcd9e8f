namespace Bandits.Server.Api;

/// <summary>Body of PUT /v1/experiments/{id}; absent fields take the documented defaults.</summary>
public sealed record ExperimentRequest
{
    public List<string>? Arms { get; init; }
    public string? Policy { get; init; }
    public string? RewardKind { get; init; }
    public double? DefaultReward { get; init; }
    public long? RewardWindowSeconds { get; init; }
    public double? Epsilon { get; init; }
    public double? Discount { get; init; }
}

/// <summary>Optional body of POST …/choose.</summary>
public sealed record ChooseRequest
{
    public string? UserId { get; init; }
}

/// <summary>One reward event of POST …/rewards (the body is one of these or an array of them).</summary>
public sealed record RewardEvent
{
    public string? DecisionId { get; init; }
    public string? Arm { get; init; }
    public double? Reward { get; init; }
}
