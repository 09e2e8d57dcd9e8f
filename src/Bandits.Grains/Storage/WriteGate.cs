namespace Bandits.Grains.Storage;

/// <summary>
/// Where the process's writes to the database wait their turn, without holding a thread.
/// SQLite runs one write transaction at a time, and a connection that finds the file locked
/// retries on its busy handler, which Microsoft.Data.Sqlite runs by putting the thread to
/// sleep: with a thousand experiments each writing every few seconds, thread-pool threads slept
/// instead of answering requests. So on SQLite writes go one at a time, each on the thread pool
/// (the driver's async methods complete synchronously and would otherwise hold the grain's
/// thread through the commit). PostgreSQL takes concurrent writers, but the same thousand
/// experiments, whose timers fire together, opened a connection each until the pool (and the
/// server's <c>max_connections</c>) ran out, and a hundred backends contending on two cores
/// cost more than their writes: there <see cref="PostgresWritesAtOnce"/> go at once.
/// </summary>
public sealed class WriteGate
{
    /// <summary>Writes to PostgreSQL one process runs at once.</summary>
    public const int PostgresWritesAtOnce = 8;

    private readonly SemaphoreSlim turns;
    private readonly bool onThreadPool;

    private WriteGate(int atOnce, bool onThreadPool) => (turns, this.onThreadPool) = (new SemaphoreSlim(atOnce, atOnce), onThreadPool);

    /// <summary>The gate for <paramref name="database"/>: one write at a time on SQLite, <see cref="PostgresWritesAtOnce"/> on PostgreSQL.</summary>
    public static WriteGate For(BanditsDatabase database) =>
        database.Kind == DatabaseKind.Sqlite ? new WriteGate(1, onThreadPool: true) : new WriteGate(PostgresWritesAtOnce, onThreadPool: false);

    /// <summary>Runs a read: at once, on the thread pool on SQLite (see the class's remarks), straight on PostgreSQL.</summary>
    public Task<T> ReadAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken = default) =>
        onThreadPool ? Task.Run(read, cancellationToken) : read();

    public async Task RunAsync(Func<Task> write, CancellationToken cancellationToken = default) =>
        await RunAsync(async () => { await write(); return true; }, cancellationToken);

    public async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken = default)
    {
        await turns.WaitAsync(cancellationToken);
        try
        {
            return onThreadPool ? await Task.Run(write, cancellationToken) : await write();
        }
        finally
        {
            turns.Release();
        }
    }
}
