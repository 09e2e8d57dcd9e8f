using System.Text;
using Bandits.Core;
using Bandits.Core.Policies;

namespace Bandits.Grains;

/// <summary>
/// A frozen copy of the learned state that choices are drawn from, with the exact probability
/// of each arm under it (the propensity logged with every decision). Refreshed when the model
/// changed and a short interval has passed, so Thompson's P(best) integration runs a few times
/// a second at most, not on every choice. A user id seeds the draw together with the epoch, so
/// the same user sees the same arm until the next refresh.
/// </summary>
internal sealed class ServingModel
{
    private readonly BanditState frozen;
    private readonly IBanditPolicy policy;
    private readonly double[] probabilities;

    private ServingModel(BanditState frozen, IBanditPolicy policy, long epoch, long revision, DateTimeOffset builtAt)
    {
        this.frozen = frozen;
        this.policy = policy;
        Epoch = epoch;
        Revision = revision;
        BuiltAt = builtAt;
        probabilities = new double[frozen.ArmCount];
        policy.ChoiceProbabilities(frozen, probabilities);
    }

    public long Epoch { get; }

    /// <summary>The model revision this copy was taken at.</summary>
    public long Revision { get; }

    public DateTimeOffset BuiltAt { get; }

    public static ServingModel Build(ExperimentModel model, long epoch, DateTimeOffset now)
    {
        BanditState live = model.Learned;
        BanditState frozen = BanditState.Restore(live.RewardKind, live.Discount, live.Step, live.Arms.ToArray());
        return new ServingModel(frozen, model.Policy, epoch, model.Revision, now);
    }

    public int Choose(string? userId, Random random) =>
        policy.Choose(frozen, userId is null ? random : new Random(StickySeed(userId)));

    public double Propensity(int arm) => probabilities[arm];

    /// <summary>FNV-1a over the user id and epoch: stable across processes, unlike string.GetHashCode.</summary>
    private int StickySeed(string userId)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(userId)) hash = (hash ^ b) * 1099511628211UL;
        hash = (hash ^ (ulong)Epoch) * 1099511628211UL;
        return (int)(hash ^ (hash >> 32));
    }
}
