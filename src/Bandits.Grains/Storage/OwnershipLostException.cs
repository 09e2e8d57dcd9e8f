namespace Bandits.Grains.Storage;

/// <summary>
/// A write was refused because a newer activation of the experiment owns its log (the two
/// overlapped, as in a membership split). Nothing of the write landed; the stale activation
/// must stop, and its callers may retry against the new one.
/// </summary>
public sealed class OwnershipLostException(string experimentId)
    : Exception($"Experiment '{experimentId}' is owned by a newer activation; this one may no longer write.");
