namespace Bandits.Grains.Storage;

/// <summary>
/// Where the process's writes to the embedded database wait their turn. SQLite runs one write
/// transaction at a time, and a connection that finds the file locked retries on its busy
/// handler, which Microsoft.Data.Sqlite runs by putting the thread to sleep: with a thousand
/// experiments each writing every second, thread-pool threads slept instead of answering
/// requests. Queued here, a writer waits without holding a thread. Each write then runs on the
/// thread pool, since the driver's async methods complete synchronously and would otherwise
/// hold the grain's thread through the commit. PostgreSQL takes concurrent writers, so there
/// every write goes straight through.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim? turn;

    private WriteGate(bool oneAtATime) => turn = oneAtATime ? new SemaphoreSlim(1, 1) : null;

    /// <summary>The gate for <paramref name="database"/>: one write at a time on SQLite, none on PostgreSQL.</summary>
    public static WriteGate For(BanditsDatabase database) => new(database.Kind == DatabaseKind.Sqlite);

    public async Task RunAsync(Func<Task> write, CancellationToken cancellationToken = default) =>
        await RunAsync(async () => { await write(); return true; }, cancellationToken);

    public async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken = default)
    {
        if (turn is null) return await write();
        await turn.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(write, cancellationToken);
        }
        finally
        {
            turn.Release();
        }
    }
}
