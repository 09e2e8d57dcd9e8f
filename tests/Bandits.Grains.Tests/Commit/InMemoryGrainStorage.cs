using Orleans.Storage;

namespace Bandits.Grains.Tests.Commit;

/// <summary>
/// Grain storage in memory with the ETag rule of the real providers (a write or clear naming
/// an old ETag fails): the snapshot store's neighbour in the pipeline's unit tests.
/// </summary>
internal sealed class InMemoryGrainStorage : IGrainStorage
{
    private readonly Dictionary<(string, GrainId), (object? State, string ETag)> records = [];
    private int version;

    public int Writes { get; private set; }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (records.TryGetValue((stateName, grainId), out var record) && record.State is T state)
            (grainState.State, grainState.ETag, grainState.RecordExists) = (state, record.ETag, true);
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Check(stateName, grainId, grainState.ETag);
        string etag = (++version).ToString();
        records[(stateName, grainId)] = (grainState.State, etag);
        (grainState.ETag, grainState.RecordExists) = (etag, true);
        Writes++;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Check(stateName, grainId, grainState.ETag);
        string etag = (++version).ToString();
        records[(stateName, grainId)] = (null, etag);
        (grainState.ETag, grainState.RecordExists) = (etag, false);
        return Task.CompletedTask;
    }

    private void Check(string stateName, GrainId grainId, string? etag)
    {
        string? stored = records.TryGetValue((stateName, grainId), out var record) ? record.ETag : null;
        if (stored != etag) throw new InconsistentStateException($"ETag {etag} is not the stored {stored}.", stored, etag);
    }
}
