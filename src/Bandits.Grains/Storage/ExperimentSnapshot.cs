using Bandits.Abstractions;
using Bandits.Core;

namespace Bandits.Grains.Storage;

/// <summary>
/// An experiment as stored in grain storage (format 2). Together with the reward events logged
/// after <see cref="AppliedEventNumber"/> and the decisions logged after
/// <see cref="DecisionsCountedThrough"/>, it rebuilds the experiment exactly. Written whole at
/// every snapshot and never kept in memory in between. Never renumber an [Id].
/// </summary>
/// <remarks>
/// The counters of an experiment, in one place:
/// <list type="bullet">
/// <item><see cref="Version"/>: the definition's version, +1 at every PUT; shown by the API.</item>
/// <item><see cref="Incarnation"/>: which experiment of this id (a deleted and re-created one is
/// another); decision ids are bound to it, so an old id never rewards a new experiment.</item>
/// <item>The model's revision (in memory only): +1 at every change of the learned state or the
/// arm set; it decides when a new serving copy is published and when a snapshot is due.</item>
/// <item>A serving copy's publication number (in memory only, <c>CopyLeaseBook</c>): unique across
/// activations; it names the copy the choosers hold.</item>
/// <item>The owner epoch (in the database, <c>LogOwner</c>): taken by every activation; every
/// write of an older one fails.</item>
/// </list>
/// </remarks>
[GenerateSerializer, Immutable, Alias("bandits.experiment-snapshot.v2")]
public sealed record ExperimentSnapshot
{
    [Id(0)] public required ExperimentDefinition Definition { get; init; }
    [Id(1)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(2)] public required int Version { get; init; }
    [Id(3)] public required long Incarnation { get; init; }

    /// <summary>When the definition or the learned state last changed.</summary>
    [Id(4)] public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The discount clock of the learned state.</summary>
    [Id(5)] public required long Step { get; init; }

    /// <summary>Every arm ever defined, by index; retired ones keep their statistics.</summary>
    [Id(6)] public required ArmStatistics[] Arms { get; init; }

    /// <summary>Decisions per arm index, counting exactly the decisions logged through <see cref="DecisionsCountedThrough"/>.</summary>
    [Id(7)] public required long[] Decisions { get; init; }

    /// <summary>The last reward event folded into <see cref="Arms"/>.</summary>
    [Id(8)] public required long AppliedEventNumber { get; init; }

    /// <summary>The position in the decision log (its <c>log_no</c>) that <see cref="Decisions"/> counts through.</summary>
    [Id(9)] public required long DecisionsCountedThrough { get; init; }

    /// <summary>Decisions logged up to this position have had their default reward considered.</summary>
    [Id(10)] public required long DefaultsSweptThrough { get; init; }

    /// <summary>Decision numbers below this may have been issued (the log's reservation is the authority; this is a second record of it).</summary>
    [Id(11)] public required long NumbersReserved { get; init; }

    /// <summary>The arm every choice answers while the experiment is concluded, else null (snapshots before conclude/reopen have none).</summary>
    [Id(12)] public string? Winner { get; init; }

    [Id(13)] public DateTimeOffset? ConcludedAt { get; init; }

    /// <summary>
    /// Per arm index, rewards with a decision id, default rewards and late rewards through
    /// <see cref="AppliedEventNumber"/> (late ones: through the snapshot's writing); null in
    /// snapshots written before they were kept, which the activation then counts from the rollups.
    /// </summary>
    [Id(14)] public long[]? JoinedRewards { get; init; }

    [Id(15)] public long[]? DefaultRewards { get; init; }

    [Id(16)] public long[]? LateRewards { get; init; }
}
