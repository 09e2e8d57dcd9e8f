using Bandits.Grains.Storage;

namespace Bandits.Grains.Tests;

/// <summary>
/// The embedded database's writes take turns in the process (SQLite runs one writer at a time,
/// and its driver would otherwise wait by sleeping a thread); PostgreSQL's go a few at a time.
/// </summary>
public sealed class WriteGateTests
{
    private const int Writers = 2 * WriteGate.PostgresWritesAtOnce;

    [Fact]
    public async Task OnSqliteWritesRunOneAtATimeAndAFailedOneGivesUpItsTurn()
    {
        var gate = WriteGate.For(new BanditsDatabase(DatabaseKind.Sqlite, "Data Source=unused.db"));
        Assert.Equal(1, await MostAtOnceAsync(gate));

        await Assert.ThrowsAsync<TimeoutException>(() => gate.RunAsync(() => throw new TimeoutException()));
        Assert.Equal(42, await gate.RunAsync(() => Task.FromResult(42)).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task OnPostgresAFewWritesRunAtOnce()
    {
        var gate = WriteGate.For(new BanditsDatabase(DatabaseKind.Postgres, "Host=unused"));
        Assert.Equal(WriteGate.PostgresWritesAtOnce, await MostAtOnceAsync(gate));
    }

    /// <summary>How many of <see cref="Writers"/> concurrent writes were ever inside the gate at once.</summary>
    private static async Task<int> MostAtOnceAsync(WriteGate gate)
    {
        int inside = 0, most = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int started = 0;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => gate.RunAsync(async () =>
        {
            int now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            if (Interlocked.Increment(ref started) == Writers) allStarted.TrySetResult();
            // Each stays inside until every writer has started or 50 ms have passed, so as many
            // are inside at once as the gate lets in.
            await Task.WhenAny(allStarted.Task, Task.Delay(TimeSpan.FromMilliseconds(50)));
            Interlocked.Decrement(ref inside);
        })));
        return most;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (int seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
