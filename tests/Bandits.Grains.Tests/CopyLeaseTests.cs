using Bandits.Abstractions;
using Bandits.Grains.Decisions;
using Bandits.Grains.Serving;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bandits.Grains.Tests;

/// <summary>
/// The staleness guarantee, deterministic on a fake clock: once a PUT is answered, no silo's
/// copy from before it is still valid, so no retired arm is chosen; and a copy never serves
/// longer than the serving lease.
/// </summary>
public sealed class CopyLeaseTests
{
    private static readonly ExperimentDefinition ThreeArms = new() { Arms = ["a", "b", "c"] };
    private static readonly ExperimentDefinition WithoutB = new() { Arms = ["a", "c"] };

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly ExperimentGrainOptions settings = new();

    [Fact]
    public async Task NoRetiredArmIsChosenOnceThePutIsAnswered()
    {
        var random = new Random(20261203);
        var book = new CopyLeaseBook(time, settings);
        ExperimentModel model = ExperimentModel.Create("x", ThreeArms, time.GetUtcNow());
        ServingSlot[] silos = [.. Enumerable.Range(0, 3).Select(_ => NewSlot())];
        int chosen = 0;
        for (int round = 0; round < 300; round++)
        {
            RenewSome(silos, book, model, random);
            ExperimentDefinition next = round % 2 == 0 ? WithoutB : ThreeArms;

            // The grain: the model changes, the snapshot is written (renewals go on meanwhile),
            // the copies are withdrawn, and the caller waits for the old ones to expire.
            model.Redefine(next, time.GetUtcNow());
            RenewSome(silos, book, model, random);
            long answerAt = book.Withdraw();
            while (time.GetTimestamp() < answerAt)
            {
                RenewSome(silos, book, model, random);
                time.Advance(TimeSpan.FromMilliseconds(random.Next(1, 40)));
            }

            foreach (ServingSlot slot in silos)
            {
                if (!slot.TryChoose(null, out Decision? decision, out _)) continue;
                Assert.Contains(decision!.Arm, next.Arms);
                chosen++;
            }
        }
        Assert.True(chosen > 100, $"only {chosen} choices were checked"); // the check is not vacuous
    }

    [Fact]
    public void ACopyServesAtMostOneLeaseAfterItWasRequested()
    {
        var book = new CopyLeaseBook(time, settings);
        ExperimentModel model = ExperimentModel.Create("x", ThreeArms, time.GetUtcNow());
        ServingSlot slot = NewSlot();
        long sentAt = slot.Now();
        time.Advance(TimeSpan.FromMilliseconds(30)); // the call's way to the grain
        Renew(slot, book, model, sentAt);

        time.Advance(settings.ServingLease - TimeSpan.FromMilliseconds(31));
        Assert.True(slot.TryChoose(null, out _, out bool renewalDue));
        Assert.True(renewalDue);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(slot.TryChoose(null, out _, out _));
    }

    [Fact]
    public void AChangedModelIsRepublishedOnlyAfterTheRefreshInterval()
    {
        var book = new CopyLeaseBook(time, settings);
        ExperimentModel model = ExperimentModel.Create("x", ThreeArms, time.GetUtcNow());
        ServingCopy first = book.Lease(model).Copy;
        model.Apply(new Storage.LoggedReward(1, null, 0, 1, 0, 0));
        Assert.Same(first, book.Lease(model).Copy);
        time.Advance(settings.ModelRefresh);
        (ServingCopy second, TimeSpan validFor) = book.Lease(model);
        Assert.True(second.Publication > first.Publication);
        Assert.Equal(settings.ServingLease, validFor);
    }

    private void RenewSome(ServingSlot[] silos, CopyLeaseBook book, ExperimentModel model, Random random)
    {
        foreach (ServingSlot slot in silos)
        {
            if (random.Next(3) != 0) continue;
            long sentAt = slot.Now();
            time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 20)));
            Renew(slot, book, model, sentAt);
            time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 20))); // the answer's way back
        }
    }

    private static void Renew(ServingSlot slot, CopyLeaseBook book, ExperimentModel model, long sentAt)
    {
        (ServingCopy copy, TimeSpan validFor) = book.Lease(model);
        slot.Publish(new ServingModel(copy), new ServingLease(copy, 1, 1_000_000, validFor), sentAt);
    }

    private ServingSlot NewSlot() =>
        new("x", new DecisionTokens(new byte[32]), new DecisionOutbox(null!, Options.Create(settings), NullLogger<DecisionOutbox>.Instance), time);
}
