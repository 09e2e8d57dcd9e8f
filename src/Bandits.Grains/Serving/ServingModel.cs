using System.Text;
using Bandits.Abstractions;
using Bandits.Core;
using Bandits.Core.Policies;

namespace Bandits.Grains.Serving;

/// <summary>
/// A chooser's working copy of a <see cref="ServingCopy"/>: the frozen state restored into
/// Bandits.Core with the experiment's policy. A user id seeds the draw together with the
/// copy's publication number, which every silo shares, so the same user sees the same arm on any silo until
/// the model is republished.
/// </summary>
internal sealed class ServingModel
{
    private readonly BanditState frozen;
    private readonly IBanditPolicy policy;
    private readonly double[] probabilities;

    public ServingModel(ServingCopy copy)
    {
        ExperimentDefinition definition = copy.Experiment.Definition;
        Experiment = copy.Experiment;
        frozen = BanditState.Restore(definition.RewardKind, definition.Discount, copy.Step, copy.Arms);
        policy = ExperimentModel.CreatePolicy(definition);
        probabilities = copy.Probabilities;
        Publication = copy.Publication;
    }

    public ExperimentView Experiment { get; }

    /// <summary>Which publication of the model this is; unique across activations of the grain.</summary>
    public long Publication { get; }

    public int Choose(string? userId, Random random) =>
        policy.Choose(frozen, userId is null ? random : new Random(StickySeed(userId)));

    public double Propensity(int arm) => probabilities[arm];

    public string ArmName(int arm) => Experiment.AllArms[arm];

    /// <summary>FNV-1a over the user id and publication number: stable across processes, unlike string.GetHashCode.</summary>
    private int StickySeed(string userId)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(userId)) hash = (hash ^ b) * 1099511628211UL;
        hash = (hash ^ (ulong)Publication) * 1099511628211UL;
        return (int)(hash ^ (hash >> 32));
    }
}
