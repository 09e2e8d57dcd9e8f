using Bandits.Grains.Storage.Legacy;
using Orleans.Storage;

namespace Bandits.Grains.Storage;

/// <summary>
/// One experiment's snapshot in Orleans grain storage. Each write is a fresh
/// <see cref="ExperimentSnapshot"/> that is not kept afterwards: only the ETag stays, so an
/// idle experiment holds no second copy of its arms. Every write is conditional on that ETag,
/// so once a newer activation has written, an older one's writes fail (the storage provider's
/// optimistic concurrency), which fences snapshots as the owner epoch fences the log. Writes
/// wait their turn at the <see cref="WriteGate"/>, as the log's do.
/// </summary>
internal sealed class SnapshotStore(IGrainStorage storage, GrainId grainId, WriteGate gate)
{
    /// <summary>The state name of format 2; format 1 was stored under <see cref="LegacyStateName"/>.</summary>
    public const string StateName = "experiment.v2";

    private const string LegacyStateName = "experiment";

    private string? etag;
    private string? legacyEtag; // set while a format-1 snapshot remains to be removed

    /// <summary>The stored snapshot (format 2, or format 1 converted), or null if there is none.</summary>
    public async Task<ExperimentSnapshot?> ReadAsync()
    {
        var current = new GrainState<ExperimentSnapshot>();
        await storage.ReadStateAsync(StateName, grainId, current);
        etag = current.ETag;
        if (current.RecordExists && current.State is { } snapshot) return snapshot;

        var legacy = new GrainState<ExperimentStateV1>();
        await storage.ReadStateAsync(LegacyStateName, grainId, legacy);
        if (!legacy.RecordExists || legacy.State is not { Exists: true } old) return null;
        legacyEtag = legacy.ETag;
        return old.ToSnapshot();
    }

    /// <summary>Writes the snapshot; the first write after reading format 1 removes the old record.</summary>
    public async Task WriteAsync(ExperimentSnapshot snapshot)
    {
        var state = new GrainState<ExperimentSnapshot>(snapshot, etag) { RecordExists = etag is not null };
        await gate.RunAsync(() => storage.WriteStateAsync(StateName, grainId, state));
        etag = state.ETag;
        if (legacyEtag is not null)
        {
            var legacy = new GrainState<ExperimentStateV1>(new ExperimentStateV1(), legacyEtag) { RecordExists = true };
            await gate.RunAsync(() => storage.ClearStateAsync(LegacyStateName, grainId, legacy));
            legacyEtag = null;
        }
    }

    /// <summary>Removes the snapshot (the experiment is deleted).</summary>
    public async Task ClearAsync()
    {
        var state = new GrainState<ExperimentSnapshot>(null!, etag) { RecordExists = etag is not null };
        await gate.RunAsync(() => storage.ClearStateAsync(StateName, grainId, state));
        etag = state.ETag;
    }
}
