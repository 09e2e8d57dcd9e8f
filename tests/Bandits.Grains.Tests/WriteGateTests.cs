using Bandits.Grains.Storage;

namespace Bandits.Grains.Tests;

/// <summary>
/// The embedded database's writes take turns in the process (SQLite runs one writer at a time,
/// and its driver would otherwise wait by sleeping a thread); PostgreSQL's do not.
/// </summary>
public sealed class WriteGateTests
{
    private const int Writers = 8;

    [Fact]
    public async Task OnSqliteWritesRunOneAtATimeAndAFailedOneGivesUpItsTurn()
    {
        var gate = WriteGate.For(new BanditsDatabase(DatabaseKind.Sqlite, "Data Source=unused.db"));
        Assert.Equal(1, await MostAtOnceAsync(gate));

        await Assert.ThrowsAsync<TimeoutException>(() => gate.RunAsync(() => throw new TimeoutException()));
        Assert.Equal(42, await gate.RunAsync(() => Task.FromResult(42)).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task OnPostgresWritesAreNotQueued()
    {
        var gate = WriteGate.For(new BanditsDatabase(DatabaseKind.Postgres, "Host=unused"));
        Assert.Equal(Writers, await MostAtOnceAsync(gate));
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
            // Unqueued writers all wait here until every one has started; queued ones go one by one.
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
