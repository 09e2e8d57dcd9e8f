namespace Bandits.Grains.Storage;

/// <summary>
/// Whether this silo's latest write to the database failed, for readiness: a silo that cannot
/// write acknowledges nothing, so a load balancer should send its traffic elsewhere. Every
/// experiment's writes report here; the readiness check clears a failure by writing itself.
/// </summary>
public sealed class StorageWriteHealth(TimeProvider time)
{
    private volatile StorageWriteFailure? failure;

    /// <summary>The latest failure, or null if the latest write succeeded.</summary>
    public StorageWriteFailure? Failure => failure;

    public void Succeeded()
    {
        if (failure is not null) failure = null; // a read first: no shared write on the hot path
    }

    public void Failed(Exception error) => failure = new StorageWriteFailure(time.GetUtcNow(), error.GetBaseException().Message);
}

/// <summary>When writes began to fail, and the database's own words for why.</summary>
public sealed record StorageWriteFailure(DateTimeOffset Since, string Reason);
