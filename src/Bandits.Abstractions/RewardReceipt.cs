namespace Bandits.Abstractions;

/// <summary>What happened to the rewards of one request; returned only once they are committed.</summary>
[GenerateSerializer, Immutable, Alias("bandits.reward-receipt.v1")]
public sealed record RewardReceipt(
    [property: Id(0)] int Accepted,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] int Expired);
