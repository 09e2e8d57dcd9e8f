using System.Collections.Concurrent;
using Bandits.Abstractions;
using Bandits.Grains.Decisions;

namespace Bandits.Grains.Serving;

/// <summary>
/// This silo's cache of serving copies, one <see cref="ServingSlot"/> per experiment, filled and
/// renewed by the experiment's <see cref="ExperimentChooser"/> (a stateless worker, one per
/// silo). A choice is answered on the request's own thread while the copy is valid, with no
/// grain call; only a miss (no copy yet, expired, numbers used up) goes through the chooser.
/// </summary>
public sealed class ChoiceCache(IGrainFactory grains, DecisionTokens tokens, DecisionOutbox outbox, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ServingSlot> slots = new(StringComparer.Ordinal);

    /// <summary>Chooses an arm; null if the experiment does not exist.</summary>
    public ValueTask<Decision?> ChooseAsync(string experimentId, string? userId)
    {
        if (slots.TryGetValue(experimentId, out ServingSlot? slot) && slot.TryChoose(userId, out Decision? decision, out bool renewalDue))
        {
            if (renewalDue && slot.RequestRenewal()) Chooser(experimentId).RenewAsync().Ignore();
            return ValueTask.FromResult(decision);
        }
        return new ValueTask<Decision?>(Chooser(experimentId).ChooseAsync(userId));
    }

    /// <summary>The experiment as this silo serves it (what rewards are validated against); null if it does not exist.</summary>
    public ValueTask<ExperimentView?> DescribeAsync(string experimentId) =>
        slots.TryGetValue(experimentId, out ServingSlot? slot) && slot.TryDescribe(out ExperimentView? experiment)
            ? ValueTask.FromResult(experiment)
            : new ValueTask<ExperimentView?>(Chooser(experimentId).DescribeAsync());

    /// <summary>Drops this silo's copy of the experiment (see <see cref="IServingCopies"/>).</summary>
    internal void Withdraw(string experimentId)
    {
        // No slot, no chooser: no renewal can be on its way back to this silo.
        if (slots.TryGetValue(experimentId, out ServingSlot? slot)) slot.Withdraw();
    }

    /// <summary>A new, empty slot for a new chooser activation (replacing one a deactivating activation may still hold).</summary>
    internal ServingSlot Attach(string experimentId) =>
        slots[experimentId] = new ServingSlot(experimentId, tokens, outbox, time);

    /// <summary>Removes the slot, unless a newer activation has replaced it already.</summary>
    internal void Detach(string experimentId, ServingSlot slot) =>
        slots.TryRemove(new KeyValuePair<string, ServingSlot>(experimentId, slot));

    private IExperimentChooser Chooser(string experimentId) => grains.GetGrain<IExperimentChooser>(experimentId);
}
