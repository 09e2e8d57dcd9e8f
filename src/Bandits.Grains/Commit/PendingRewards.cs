using Bandits.Abstractions;

namespace Bandits.Grains.Commit;

/// <summary>The rewards of one call, waiting for the commit that answers it.</summary>
internal sealed class PendingRewards(IReadOnlyList<RewardRecord> rewards)
{
    public IReadOnlyList<RewardRecord> Rewards { get; } = rewards;

    public TaskCompletionSource<RewardReceipt?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Accepted { get; set; }

    public int Duplicates { get; set; }

    public int Expired { get; set; }
}
