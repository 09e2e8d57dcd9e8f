using Bandits.Abstractions;
using Bandits.Grains.Decisions;
using Bandits.Grains.Serving;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bandits.Grains.Tests;

/// <summary>
/// The staleness guarantee, deterministic on a fake clock: once a PUT is answered, no silo's
/// copy from before it is still served, whether the silo dropped it when told to or did not
/// answer and the grain waited until the copy expired; a renewal that crossed the withdrawal
/// brings no withdrawn copy back; and a copy never serves longer than the serving lease.
/// </summary>
public sealed class CopyLeaseTests
{
    private static readonly ExperimentDefinition ThreeArms = new() { Arms = ["a", "b", "c"] };
    private static readonly ExperimentDefinition WithoutB = new() { Arms = ["a", "c"] };

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly ExperimentGrainOptions settings = new();

    [Fact]
    public void NoRetiredArmIsChosenOnceThePutIsAnswered()
    {
        var random = new Random(20261203);
        var book = new CopyLeaseBook(time, settings);
        ExperimentModel model = ExperimentModel.Create("x", ThreeArms, time.GetUtcNow());
        Silo[] silos = [.. Enumerable.Range(0, 4).Select(NewSilo)];
        int chosen = 0, waitedOut = 0;
        for (int round = 0; round < 300; round++)
        {
            RenewSome(silos, book, model, random);
            ExperimentDefinition next = round % 2 == 0 ? WithoutB : ThreeArms;

            // The grain: the model changes, the snapshot is written (renewals go on meanwhile,
            // and some are still on their way back when the copies are withdrawn), the silos
            // are told to drop their copies (some never answer), and the caller is answered.
            model.Redefine(next, time.GetUtcNow());
            RenewSome(silos, book, model, random);
            var crossing = silos.Where(_ => random.Next(3) == 0).Select(silo => (silo, Ticket: silo.Slot.Ticket(), Lease: book.Lease(model, silo.Address))).ToList();
            Task answered = book.WithdrawAsync(address =>
            {
                Silo silo = silos.Single(s => s.Address == address);
                if (random.Next(4) == 0) return new TaskCompletionSource().Task; // unreachable: never confirms
                silo.Slot.Withdraw();
                return Task.CompletedTask;
            });
            if (!answered.IsCompleted) waitedOut++;
            while (!answered.IsCompleted)
            {
                RenewSome(silos, book, model, random);
                time.Advance(TimeSpan.FromMilliseconds(random.Next(1, 40)));
            }
            foreach ((Silo silo, (long, int) ticket, (ServingCopy copy, TimeSpan validFor)) in crossing)
                silo.Slot.Publish(new ServingModel(copy), new ServingLease(copy, 1, 1_000_000, validFor), ticket);

            foreach (Silo silo in silos)
            {
                if (!silo.Slot.TryChoose(null, out Decision? decision, out _)) continue;
                Assert.Contains(decision!.Arm, next.Arms);
                chosen++;
            }
        }
        // Neither check is vacuous: choices were made right after the answers, and both ways of answering happened.
        Assert.True(chosen > 100, $"only {chosen} choices were checked");
        Assert.InRange(waitedOut, 10, 290);
    }

    [Fact]
    public void APutIsAnsweredAsSoonAsEveryHolderHasDroppedItsCopy()
    {
        var book = new CopyLeaseBook(time, settings);
        ExperimentModel model = ExperimentModel.Create("x", ThreeArms, time.GetUtcNow());
        Silo silo = NewSilo(0);
        Renew(silo, book, model, silo.Slot.Ticket());

        Task answered = book.WithdrawAsync(_ =>
        {
            silo.Slot.Withdraw();
            return Task.CompletedTask;
        });

        Assert.True(answered.IsCompletedSuccessfully); // no time passed
        Assert.False(silo.Slot.TryChoose(null, out _, out _));
    }

    [Fact]
    public void AHolderThatDoesNotConfirmIsWaitedOutUntilItsCopyExpires()
    {
        var book = new CopyLeaseBook(time, settings);
        ExperimentModel model = ExperimentModel.Create("x", ThreeArms, time.GetUtcNow());
        Silo silo = NewSilo(0);
        Renew(silo, book, model, silo.Slot.Ticket());
        time.Advance(TimeSpan.FromMilliseconds(100));

        Task answered = book.WithdrawAsync(_ => new TaskCompletionSource().Task);

        time.Advance(settings.ServingLease - TimeSpan.FromMilliseconds(101));
        Assert.False(answered.IsCompleted);
        Assert.True(silo.Slot.TryChoose(null, out _, out _)); // the silo still serves it, so the caller waits
        time.Advance(TimeSpan.FromMilliseconds(2)); // the copy has expired (and the timers' 1 ms of slack passed)
        Assert.True(answered.IsCompletedSuccessfully);
        Assert.False(silo.Slot.TryChoose(null, out _, out _));
    }

    [Fact]
    public void ARenewalSentBeforeAWithdrawalBringsNoCopyBack()
    {
        var book = new CopyLeaseBook(time, settings);
        ExperimentModel model = ExperimentModel.Create("x", ThreeArms, time.GetUtcNow());
        Silo silo = NewSilo(0);
        (long, int) before = silo.Slot.Ticket();
        (ServingCopy copy, TimeSpan validFor) = book.Lease(model, silo.Address);
        silo.Slot.Withdraw();

        Assert.False(silo.Slot.Publish(new ServingModel(copy), new ServingLease(copy, 1, 1_000_000, validFor), before));
        Assert.False(silo.Slot.TryChoose(null, out _, out _));
        Assert.True(Renew(silo, book, model, silo.Slot.Ticket())); // the next renewal serves again
        Assert.True(silo.Slot.TryChoose(null, out _, out _));
    }

    [Fact]
    public void ACopyServesAtMostOneLeaseAfterItWasRequested()
    {
        var book = new CopyLeaseBook(time, settings);
        ExperimentModel model = ExperimentModel.Create("x", ThreeArms, time.GetUtcNow());
        Silo silo = NewSilo(0);
        (long, int) ticket = silo.Slot.Ticket();
        time.Advance(TimeSpan.FromMilliseconds(30)); // the call's way to the grain
        Renew(silo, book, model, ticket);

        time.Advance(settings.ServingLease - TimeSpan.FromMilliseconds(31));
        Assert.True(silo.Slot.TryChoose(null, out _, out bool renewalDue));
        Assert.True(renewalDue);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(silo.Slot.TryChoose(null, out _, out _));
    }

    [Fact]
    public void AChangedModelIsRepublishedOnlyAfterTheRefreshInterval()
    {
        var book = new CopyLeaseBook(time, settings);
        ExperimentModel model = ExperimentModel.Create("x", ThreeArms, time.GetUtcNow());
        SiloAddress holder = NewSilo(0).Address;
        ServingCopy first = book.Lease(model, holder).Copy;
        model.Apply(new Storage.LoggedReward(1, null, 0, 1, 0, 0));
        Assert.Same(first, book.Lease(model, holder).Copy);
        time.Advance(settings.ModelRefresh);
        (ServingCopy second, TimeSpan validFor) = book.Lease(model, holder);
        Assert.True(second.Publication > first.Publication);
        Assert.Equal(settings.ServingLease, validFor);
    }

    private void RenewSome(Silo[] silos, CopyLeaseBook book, ExperimentModel model, Random random)
    {
        foreach (Silo silo in silos)
        {
            if (random.Next(3) != 0) continue;
            (long, int) ticket = silo.Slot.Ticket();
            time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 20)));
            Renew(silo, book, model, ticket);
            time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 20))); // the answer's way back
        }
    }

    private static bool Renew(Silo silo, CopyLeaseBook book, ExperimentModel model, (long, int) ticket)
    {
        (ServingCopy copy, TimeSpan validFor) = book.Lease(model, silo.Address);
        return silo.Slot.Publish(new ServingModel(copy), new ServingLease(copy, 1, 1_000_000, validFor), ticket);
    }

    private Silo NewSilo(int index) => new(
        SiloAddress.New(System.Net.IPAddress.Loopback, 11111 + index, 1),
        new ServingSlot("x", new DecisionTokens(new byte[32]), new DecisionOutbox(null!, Options.Create(settings), NullLogger<DecisionOutbox>.Instance), time));

    private sealed record Silo(SiloAddress Address, ServingSlot Slot);
}
