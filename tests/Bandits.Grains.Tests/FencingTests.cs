using Bandits.Abstractions;
using Bandits.Grains.Storage;
using Bandits.Testing;

namespace Bandits.Grains.Tests;

/// <summary>
/// Two owners of one experiment's log that overlap, as two activations would in a membership
/// split: once the newer has claimed it, no write of the older lands, and the newer sees
/// everything that was acknowledged before. On both databases.
/// </summary>
public sealed class FencingTests
{
    public static TheoryData<string> Databases => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AStaleOwnerCannotWriteAndNothingAcknowledgedIsLost(string kind)
    {
        (IExperimentLog log, ExperimentCatalog catalog) = await CreateLogAsync(kind);
        const string id = "fenced";

        LogOwner stale = await log.RegisterExperimentAsync(id, DateTimeOffset.UtcNow);
        await log.AppendDecisionsAsync(stale, [Decision(1), Decision(2)], firstLogNumber: 1);
        IReadOnlyList<LoggedReward> acknowledged = await log.AppendRewardsAsync(stale, [Reward(1, sequence: 1), Reward(2, sequence: 2)], []);
        await log.ReserveNumbersAsync(stale, 1000);

        (LogOwner current, long reserved) = (await log.ClaimAsync(id))!.Value;
        Assert.True(current.Epoch > stale.Epoch);
        Assert.Equal(1000, reserved);

        // Every write of the stale owner is refused, and leaves nothing behind.
        await Assert.ThrowsAsync<OwnershipLostException>(() => log.AppendRewardsAsync(stale, [Reward(3, sequence: 3), Reward(4, sequence: null)], []));
        await Assert.ThrowsAsync<OwnershipLostException>(() => log.AppendDecisionsAsync(stale, [Decision(3)], firstLogNumber: 3));
        await Assert.ThrowsAsync<OwnershipLostException>(() => log.AppendDefaultRewardsAsync(stale, 0, long.MaxValue, 0, 5, 0));
        await Assert.ThrowsAsync<OwnershipLostException>(() => log.ReserveNumbersAsync(stale, 5000));
        await Assert.ThrowsAsync<OwnershipLostException>(() => log.DeleteExperimentAsync(stale));
        await Assert.ThrowsAsync<OwnershipLostException>(() => log.SaveListingAsync(stale, Listing(id)));

        Assert.Equal(acknowledged.Select(r => r.EventNumber), (await log.ReadRewardsAfterAsync(id, 0)).Select(r => r.EventNumber));
        Assert.Equal(2, (await log.CountDecisionsAfterAsync(id, 0)).PerArm.Values.Sum());
        Assert.Equal(1000, (await log.ClaimAsync(id))!.Value.NumbersReserved);
        Assert.Contains(id, await Listed(catalog));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TheCurrentOwnerWritesAndTellsDuplicatesFromFencing(string kind)
    {
        (IExperimentLog log, ExperimentCatalog catalog) = await CreateLogAsync(kind);
        LogOwner first = await log.RegisterExperimentAsync("owned", DateTimeOffset.UtcNow);
        await log.AppendRewardsAsync(first, [Reward(1, sequence: 7)], []);
        LogOwner owner = (await log.ClaimAsync("owned"))!.Value.Owner;

        // The same decision rewarded again is a duplicate, not a lost ownership.
        Assert.Empty(await log.AppendRewardsAsync(owner, [Reward(2, sequence: 7)], []));
        Assert.Single(await log.AppendRewardsAsync(owner, [Reward(3, sequence: 8)], []));
        Assert.Null(await log.ClaimAsync("never-registered"));

        // Registering an id again (a create that failed after registering) also takes the log over.
        LogOwner again = await log.RegisterExperimentAsync("owned", DateTimeOffset.UtcNow);
        Assert.True(again.Epoch > owner.Epoch);
        await Assert.ThrowsAsync<OwnershipLostException>(() => log.AppendRewardsAsync(owner, [Reward(4, sequence: 9)], []));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AnOwnerOfADeletedIncarnationCannotWriteIntoTheNextOne(string kind)
    {
        (IExperimentLog log, ExperimentCatalog catalog) = await CreateLogAsync(kind);
        LogOwner stale = await log.RegisterExperimentAsync("again", DateTimeOffset.UtcNow);
        LogOwner deleting = (await log.ClaimAsync("again"))!.Value.Owner;
        await log.DeleteExperimentAsync(deleting);
        Assert.DoesNotContain("again", await Listed(catalog));
        Assert.Null(await log.ClaimAsync("again")); // deleted: nothing to claim

        // Created again, and activated once more, so its epochs pass every earlier one.
        LogOwner created = await log.RegisterExperimentAsync("again", DateTimeOffset.UtcNow);
        LogOwner current = (await log.ClaimAsync("again"))!.Value.Owner;
        Assert.True(created.Epoch > deleting.Epoch && current.Epoch > created.Epoch);
        Assert.Contains("again", await Listed(catalog));
        foreach (LogOwner old in new[] { stale, deleting, created })
        {
            await Assert.ThrowsAsync<OwnershipLostException>(() => log.AppendRewardsAsync(old, [Reward(1, sequence: 1)], []));
            await Assert.ThrowsAsync<OwnershipLostException>(() => log.ReserveNumbersAsync(old, 10));
        }
        Assert.Empty(await log.ReadRewardsAfterAsync("again", 0));
        Assert.Single(await log.AppendRewardsAsync(current, [Reward(1, sequence: 1)], []));
    }

    private static LoggedDecision Decision(long sequence) => new(sequence, 0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 0.5, null);

    private static LoggedReward Reward(long eventNumber, long? sequence) => new(eventNumber, sequence, 0, 1, 0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>The log of a new, empty database of that kind, with the schema applied.</summary>
    private static async Task<(IExperimentLog Log, ExperimentCatalog Catalog)> CreateLogAsync(string kind)
    {
        BanditsDatabase database;
        if (kind == "sqlite") database = BanditsDatabase.Embedded(Directory.CreateTempSubdirectory("bandits-fencing-").FullName);
        else database = new BanditsDatabase(DatabaseKind.Postgres, await PostgresDatabases.CreateAsync());
        await SchemaMigrator.ApplyAsync(database);
        return (new SqlExperimentLog(database), new ExperimentCatalog(database));
    }

    private static async Task<IEnumerable<string>> Listed(ExperimentCatalog catalog) =>
        (await catalog.ListAsync(new CatalogQuery(Status: null, Search: null, Limit: 1000, After: null))).Entries.Select(e => e.Id);

    private static ExperimentListing Listing(string id) => new()
    {
        Experiment = new ExperimentView
        {
            Id = id, Definition = new ExperimentDefinition { Arms = ["a"] }, Status = ExperimentStatus.Running,
            CreatedAt = DateTimeOffset.UnixEpoch, Version = 1, Incarnation = 1, AllArms = ["a"],
        },
        Decisions = 0,
        Rewards = 0,
        LastActivity = DateTimeOffset.UnixEpoch,
    };
}
