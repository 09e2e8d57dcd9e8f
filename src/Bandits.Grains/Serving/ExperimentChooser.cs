using System.Runtime.ExceptionServices;
using Bandits.Abstractions;
using Bandits.Grains.Storage;
using Orleans.Concurrency;

namespace Bandits.Grains.Serving;

/// <summary>
/// Keeps this silo's lease on one experiment in the <see cref="ChoiceCache"/>: a copy of the
/// model, used for at most <see cref="ExperimentGrainOptions.ServingLease"/> after it was
/// requested and renewed in the background halfway through, and a block of decision numbers.
/// Every renewal hands the experiment's grain the decisions this silo issued meanwhile (from
/// the <see cref="DecisionOutbox"/>), which it counts and logs. So a hot experiment is not
/// capped by its single grain: every silo, and every thread of it, chooses in parallel.
/// </summary>
/// <remarks>
/// One worker per silo (one lease to share); reentrant, so choices that miss the cache while a
/// renewal is in flight wait for that renewal instead of starting another.
/// </remarks>
[StatelessWorker(1), Reentrant]
public sealed class ExperimentChooser(ChoiceCache cache, DecisionOutbox outbox, ILocalSiloDetails silo) : Grain, IExperimentChooser
{
    private const int MinBlock = 64;
    private const int MaxBlock = 1 << 16;
    private const int MaxExpiredRenewals = 3;

    private ServingSlot slot = null!;
    private Task? renewal;
    private ExceptionDispatchInfo? lastFailure;
    private bool absent;

    private string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        slot = cache.Attach(Id);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        cache.Detach(Id, slot);
        return Task.CompletedTask;
    }

    public async Task<Decision?> ChooseAsync(string? userId)
    {
        int expired = 0;
        while (true)
        {
            if (slot.TryChoose(userId, out Decision? decision, out bool renewalDue))
            {
                if (renewalDue) _ = Renew(needNumbers: true);
                return decision;
            }
            // Other callers may have used up the new block (a burst grows it by doubling): retry.
            if (!await RenewedAsync(needNumbers: true)) return null;
            ThrowIfExpiredAgain(ref expired);
        }
    }

    public async Task<ExperimentView?> DescribeAsync()
    {
        int expired = 0;
        while (true)
        {
            if (slot.TryDescribe(out ExperimentView? experiment)) return experiment;
            if (!await RenewedAsync(needNumbers: false)) return null;
            ThrowIfExpiredAgain(ref expired);
        }
    }

    /// <summary>Leases that keep expiring before they arrive: the grain answers slower than a lease lasts.</summary>
    private void ThrowIfExpiredAgain(ref int expired)
    {
        if (!slot.TryDescribe(out _) && ++expired == MaxExpiredRenewals)
            throw new StorageUnavailableException("The experiment is answering too slowly to keep a valid copy of its model; retry.");
    }

    public Task RenewAsync() => Renew(needNumbers: true);

    /// <summary>Waits for a renewal; false if the experiment does not exist, throws if the renewal failed.</summary>
    private async Task<bool> RenewedAsync(bool needNumbers)
    {
        await Renew(needNumbers);
        if (absent) return false;
        lastFailure?.Throw();
        return true;
    }

    /// <summary>The renewal in flight, or a new one.</summary>
    private Task Renew(bool needNumbers)
    {
        if (renewal is not { IsCompleted: false })
        {
            // Ask for twice what the last block gave out, so a hot silo renews about every half lease.
            long used = slot.NumbersUsed();
            int wanted = needNumbers || used > 0 ? (int)Math.Clamp(2 * used, MinBlock, MaxBlock) : 0;
            renewal = RenewCoreAsync(wanted);
        }
        return renewal;
    }

    /// <summary>Hands back the issued decisions and takes a new lease. Never throws: a failure is kept for the callers waiting on it.</summary>
    private async Task RenewCoreAsync(int numbersWanted)
    {
        // The decisions issued from the current copy go along; any of an earlier incarnation are
        // left to the outbox's flush, which names their incarnation.
        long incarnation = slot.Model?.Experiment.Incarnation ?? 0;
        List<LoggedDecision> handing = incarnation == 0 ? [] : outbox.Take(Id, incarnation);
        (long SentAt, int Withdrawals) ticket = slot.Ticket();
        try
        {
            ServingLease? lease = await GrainFactory.GetGrain<IExperimentServing>(Id).ServeAsync(handing, incarnation, numbersWanted, silo.SiloAddress);
            (lastFailure, absent) = (null, lease is null);
            if (lease is null)
            {
                slot.Clear(); // deleted, or never created: its decisions go with it
                return;
            }
            ServingModel? model = slot.Model;
            if (model is null || model.Publication != lease.Copy.Publication || model.Experiment.Incarnation != lease.Copy.Experiment.Incarnation
                || model.Experiment.Version != lease.Copy.Experiment.Version)
                model = new ServingModel(lease.Copy);
            slot.Publish(model, lease, ticket); // refused if withdrawn while on its way: the next renewal brings the new copy
        }
        catch (Exception e)
        {
            // The grain may not have taken them: hand them over again later (its log ignores a
            // decision logged twice). The current copy stays usable until it expires.
            outbox.Return(Id, incarnation, handing);
            lastFailure = ExceptionDispatchInfo.Capture(e);
            slot.RenewalFailed();
        }
    }
}
