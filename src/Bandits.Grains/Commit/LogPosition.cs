namespace Bandits.Grains.Commit;

/// <summary>Where an experiment stands in its log: what the next write continues from.</summary>
internal sealed class LogPosition
{
    /// <summary>The number the next reward event gets.</summary>
    public long NextEventNumber { get; set; } = 1;

    /// <summary>The last reward event folded into the model.</summary>
    public long AppliedEventNumber { get; set; }

    /// <summary>The decision log position the next logged decision gets (the order the grain logged them in).</summary>
    public long NextLogNumber { get; set; } = 1;

    /// <summary>Decisions logged through this position have had their default reward considered.</summary>
    public long DefaultsSweptThrough { get; set; }
}
