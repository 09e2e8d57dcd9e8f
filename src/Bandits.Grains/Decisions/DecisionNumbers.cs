namespace Bandits.Grains.Decisions;

/// <summary>
/// The experiment's decision numbers: each decision id carries one, and no number is ever
/// issued twice, across crashes and overlapping activations. Numbers are handed out from a
/// reservation recorded in the database first (<see cref="Storage.IExperimentLog.ReserveNumbersAsync"/>);
/// a new owner continues above everything reserved before, so a crash skips at most one
/// reservation's worth. Blocks of these numbers go to the silos' choosers with their copies.
/// </summary>
internal sealed class DecisionNumbers(long reservationSize)
{
    private long next = 1;

    /// <summary>Numbers below this are reserved in the database: they may be handed out.</summary>
    public long ReservedEnd { get; private set; } = 1;

    /// <summary>An activation continues from <paramref name="floor"/>: numbers below it may have been issued before.</summary>
    public void Restore(long floor) => next = ReservedEnd = Math.Max(floor, 1);

    /// <summary>Whether <paramref name="count"/> numbers can be handed out without a new reservation.</summary>
    public bool CanTake(int count) => next + count <= ReservedEnd;

    /// <summary>The end of the next reservation: room for <paramref name="count"/> numbers and a whole reservation more.</summary>
    public long NextReservationEnd(int count) => next + count + reservationSize;

    /// <summary>Records a reservation that is stored.</summary>
    public void Reserved(long end) => ReservedEnd = Math.Max(ReservedEnd, end);

    /// <summary>Hands out <paramref name="count"/> numbers and returns the first.</summary>
    public long Take(int count)
    {
        if (!CanTake(count)) throw new InvalidOperationException("Decision numbers must be reserved before they are handed out.");
        long first = next;
        next += count;
        return first;
    }
}
