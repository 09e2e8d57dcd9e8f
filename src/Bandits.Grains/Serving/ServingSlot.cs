using Bandits.Abstractions;
using Bandits.Grains.Decisions;
using Bandits.Grains.Storage;

namespace Bandits.Grains.Serving;

/// <summary>
/// The lease this silo holds for one experiment: a copy of the model to choose from until it
/// expires and the block of decision numbers that came with it. Any thread may choose from it
/// at once (the copy is immutable and numbers are taken atomically); only the experiment's
/// <see cref="ExperimentChooser"/> replaces it, and its grain withdraws it (<see cref="IServingCopies"/>).
/// </summary>
internal sealed class ServingSlot(string experimentId, DecisionTokens tokens, DecisionOutbox outbox, TimeProvider time)
{
    private readonly Lock replacing = new(); // a withdrawal and a publication, never interleaved
    private Lease? current;
    private int renewalRequested;
    private int withdrawals; // a renewal sent before the last withdrawal may bring the withdrawn copy

    /// <summary>Chooses from the current copy; false if it expired or its numbers ran out.</summary>
    /// <param name="renewalDue">Whether the copy is past half its life or its numbers past three quarters.</param>
    public bool TryChoose(string? userId, out Decision? decision, out bool renewalDue)
    {
        (decision, renewalDue) = (null, false);
        Lease? lease = Volatile.Read(ref current);
        long now = time.GetTimestamp();
        if (lease is null || now >= lease.ValidUntil) return false;
        long sequence = Interlocked.Increment(ref lease.Next) - 1;
        if (sequence >= lease.End) return false;

        ServingModel model = lease.Model;
        int arm = model.Choose(userId, Random.Shared);
        double propensity = model.Propensity(arm);
        long issuedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        outbox.Add(experimentId, model.Experiment.Incarnation, new LoggedDecision(sequence, arm, issuedAt, propensity, userId));
        string decisionId = tokens.Issue(experimentId, model.Experiment.Incarnation, new DecisionToken(sequence, arm, issuedAt));
        decision = new Decision(experimentId, decisionId, model.ArmName(arm), propensity);
        renewalDue = now >= lease.RenewFrom || lease.End - sequence < lease.Quarter;
        return true;
    }

    /// <summary>The experiment as of the current copy; false if there is no valid one.</summary>
    public bool TryDescribe(out ExperimentView? experiment)
    {
        Lease? lease = Volatile.Read(ref current);
        experiment = lease?.Model.Experiment;
        return lease is not null && time.GetTimestamp() < lease.ValidUntil;
    }

    /// <summary>True for the first caller since the last renewal: it should ask for one.</summary>
    public bool RequestRenewal() => Interlocked.Exchange(ref renewalRequested, 1) == 0;

    /// <summary>Numbers given out from the current block: the next block is sized from it.</summary>
    public long NumbersUsed() => current is { } lease ? Math.Clamp(Interlocked.Read(ref lease.Next), lease.First, lease.End) - lease.First : 0;

    /// <summary>The current model, if any (valid or not): kept across renewals that did not republish it.</summary>
    public ServingModel? Model => Volatile.Read(ref current)?.Model;

    /// <summary>A renewal's ticket: when it was sent and how many withdrawals the slot had seen then.</summary>
    public (long SentAt, int Withdrawals) Ticket()
    {
        lock (replacing) return (time.GetTimestamp(), withdrawals);
    }

    /// <summary>
    /// Replaces the lease with the one a renewal brought; <paramref name="ticket"/> is the
    /// renewal's. False, and nothing replaced, if a withdrawal arrived after the renewal was sent:
    /// the grain may have answered it with the copy it withdrew.
    /// </summary>
    public bool Publish(ServingModel model, ServingLease lease, (long SentAt, int Withdrawals) ticket)
    {
        long validFor = (long)(lease.ValidFor.TotalSeconds * time.TimestampFrequency);
        lock (replacing)
        {
            Volatile.Write(ref renewalRequested, 0);
            if (withdrawals != ticket.Withdrawals) return false;
            Volatile.Write(ref current, new Lease(model, ticket.SentAt + validFor, ticket.SentAt + validFor / 2, lease.FirstNumber, lease.Numbers));
            return true;
        }
    }

    /// <summary>
    /// The grain withdrew its copy: drop it, and any a renewal sent before now brings. A renewal
    /// sent after now reaches the grain after it stopped leasing the withdrawn copy.
    /// </summary>
    public void Withdraw()
    {
        lock (replacing)
        {
            withdrawals++;
            Volatile.Write(ref current, null);
        }
    }

    /// <summary>The experiment does not exist (any more), or the renewal failed: nothing may be served.</summary>
    public void Clear()
    {
        Volatile.Write(ref current, null);
        Volatile.Write(ref renewalRequested, 0);
    }

    /// <summary>A renewal finished without a new lease (it failed): let the next choice ask again.</summary>
    public void RenewalFailed() => Volatile.Write(ref renewalRequested, 0);

    private sealed class Lease(ServingModel model, long validUntil, long renewFrom, long first, int numbers)
    {
        public readonly ServingModel Model = model;
        // Timed from the request, not the answer, so the copy expires here no later than the
        // grain, which counts from when it answered, expects.
        public readonly long ValidUntil = validUntil;
        public readonly long RenewFrom = renewFrom;
        public readonly long First = first;
        public readonly long End = first + numbers;
        public readonly long Quarter = numbers / 4;
        public long Next = first;
    }
}
