using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Bandits.Abstractions;
using Bandits.Grains.Decisions;
using Bandits.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Bandits.Grains.Serving;

/// <summary>
/// Chooses for one experiment on this silo from a leased copy of its model, so a hot
/// experiment is not capped by its single grain: every silo, and every core of it (Orleans
/// adds workers under load), draws in parallel. The copy is used for at most
/// <see cref="ExperimentGrainOptions.ServingLease"/> after it was requested and is renewed in
/// the background halfway through; decisions are numbered from a block leased with it and go
/// to the silo's <see cref="DecisionOutbox"/>, whose decisions for the experiment every
/// renewal hands back to the grain, which counts and logs them.
/// </summary>
/// <remarks>
/// Reentrant: choices keep being answered from the valid copy while a renewal is in flight.
/// State changes happen between awaits on the activation's single thread.
/// </remarks>
[StatelessWorker, Reentrant]
public sealed class ExperimentChooser(
    DecisionTokens tokens,
    DecisionOutbox outbox,
    TimeProvider time,
    ExperimentMetrics metrics) : Grain, IExperimentChooser
{
    private const int MinBlock = 64;
    private const int MaxBlock = 1 << 16;

    private readonly Random random = new();
    private ServingModel? current;
    private long validUntil; // Stopwatch timestamps
    private long renewFrom;
    private long nextNumber;
    private long endNumber;
    private long blockSize;
    private Task? renewal;
    private ExceptionDispatchInfo? lastFailure;

    private string Id => this.GetPrimaryKeyString();

    public async Task<Decision?> ChooseAsync(string? userId)
    {
        ServingModel? model = await LeaseAsync(needNumber: true);
        if (model is null) return null;
        int arm = model.Choose(userId, random);
        double propensity = model.Propensity(arm);
        long sequence = nextNumber++;
        long issuedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        outbox.Add(Id, new LoggedDecision(sequence, arm, issuedAt, propensity, userId));
        metrics.Decisions.Add(1);
        string decisionId = tokens.Issue(Id, model.Experiment.Incarnation, new DecisionToken(sequence, arm, issuedAt));
        return new Decision(Id, decisionId, model.ArmName(arm), propensity);
    }

    public async Task<ExperimentView?> DescribeAsync() => (await LeaseAsync(needNumber: false))?.Experiment;

    /// <summary>The current copy (renewed if it expired or, for a choice, ran out of numbers), or null if the experiment does not exist.</summary>
    private async ValueTask<ServingModel?> LeaseAsync(bool needNumber)
    {
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            if (current is not null && now < validUntil && (!needNumber || nextNumber < endNumber))
            {
                // Renew ahead of expiry, or of the last quarter of the numbers, so no call waits.
                if (now >= renewFrom || endNumber - nextNumber < blockSize / 4) _ = StartRenewal(needNumber);
                return current;
            }
            Task running = StartRenewal(needNumber);
            await running;
            if (current is null || Stopwatch.GetTimestamp() >= validUntil)
            {
                lastFailure?.Throw();
                if (current is null) return null;
            }
        }
    }

    private Task StartRenewal(bool needNumbers)
    {
        if (renewal is not { IsCompleted: false })
        {
            // Ask for twice what the last block gave out (at least a small block when choosing).
            long used = nextNumber - (endNumber - blockSize);
            int wanted = needNumbers || used > 0 ? (int)Math.Clamp(2 * used, MinBlock, MaxBlock) : 0;
            renewal = RenewAsync(wanted);
        }
        return renewal;
    }

    /// <summary>Hands back the issued decisions and takes a new lease. Never throws: a failure is kept for the callers waiting on it.</summary>
    private async Task RenewAsync(int numbersWanted)
    {
        List<LoggedDecision> handing = outbox.Take(Id);
        long sentAt = Stopwatch.GetTimestamp();
        try
        {
            ServingLease? lease = await GrainFactory.GetGrain<IExperimentServing>(Id).ServeAsync(handing, numbersWanted);
            lastFailure = null;
            if (lease is null)
            {
                current = null; // deleted, or never created: its decisions go with it
                return;
            }
            if (current is null || current.Epoch != lease.Copy.Epoch || current.Experiment.Incarnation != lease.Copy.Experiment.Incarnation)
                current = new ServingModel(lease.Copy);
            // Timed from the request, not the answer, so the copy expires here no later than
            // the grain, which counts from when it answered, expects.
            validUntil = sentAt + (long)(lease.ValidFor.TotalSeconds * Stopwatch.Frequency);
            renewFrom = sentAt + (long)(lease.ValidFor.TotalSeconds * Stopwatch.Frequency / 2);
            (nextNumber, endNumber, blockSize) = (lease.FirstNumber, lease.FirstNumber + lease.Numbers, lease.Numbers);
        }
        catch (Exception e)
        {
            // The grain may not have taken them: hand them over again later.
            // (Its log ignores a decision logged twice.)
            outbox.Return(Id, handing);
            lastFailure = ExceptionDispatchInfo.Capture(e);
        }
    }
}
