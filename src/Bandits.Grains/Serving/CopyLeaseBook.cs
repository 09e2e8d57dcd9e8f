namespace Bandits.Grains.Serving;

/// <summary>
/// The grain's record of the model copies it leased to the silos' choosers: the copy it
/// publishes now, and the moment by which every copy handed out so far will have expired. A
/// change of the arms (PUT) or a delete is answered only after that moment, so no chooser
/// serves a retired arm or a deleted experiment once the caller has its answer. Timed on the
/// monotonic clock of the <see cref="TimeProvider"/>, as <see cref="ServingSlot"/> is.
/// </summary>
internal sealed class CopyLeaseBook(TimeProvider time, ExperimentGrainOptions settings)
{
    private ServingCopy? published;
    private long publishedRevision;
    private long publishedAt;
    // Publication numbers are unique across activations: they start at the activation's clock.
    private long publication = time.GetUtcNow().UtcTicks;
    private long allExpire = time.GetTimestamp();

    /// <summary>Copies of a previous activation may still be in use: they expire within one lease.</summary>
    public void AfterActivation() => allExpire = After(time.GetTimestamp(), settings.ServingLease);

    /// <summary>
    /// The copy to lease now and for how long it is valid: the published one while it is the
    /// current model or younger than <see cref="ExperimentGrainOptions.ModelRefresh"/>, else a new one.
    /// </summary>
    public (ServingCopy Copy, TimeSpan ValidFor) Lease(ExperimentModel model)
    {
        long now = time.GetTimestamp();
        if (published is null || (publishedRevision != model.Revision && time.GetElapsedTime(publishedAt, now) >= settings.ModelRefresh))
        {
            published = model.Publish(++publication);
            publishedRevision = model.Revision;
            publishedAt = now;
        }
        else if (publishedRevision == model.Revision)
        {
            publishedAt = now; // still the current model: as fresh as a new copy
        }
        // A copy never outlives publishedAt + ServingLease, so it misses at most that much learning.
        TimeSpan validFor = settings.ServingLease - time.GetElapsedTime(publishedAt, now);
        allExpire = Math.Max(allExpire, After(now, validFor));
        return (published, validFor);
    }

    /// <summary>Stops leasing the current copy (the definition changed, or the experiment is gone) and returns when every copy leased so far expires.</summary>
    public long Withdraw()
    {
        published = null;
        return allExpire;
    }

    /// <summary>Waits, without holding up other calls, until <paramref name="timestamp"/> has passed.</summary>
    /// <remarks>
    /// Checked again after every delay: timers count whole milliseconds and may fire a fraction of
    /// one early, and a caller answered that early could still be served by a copy for that long.
    /// </remarks>
    public async Task WaitUntilAsync(long timestamp)
    {
        for (TimeSpan wait; (wait = time.GetElapsedTime(time.GetTimestamp(), timestamp)) > TimeSpan.Zero;)
            await Task.Delay(wait + TimeSpan.FromMilliseconds(1), time);
    }

    private long After(long timestamp, TimeSpan span) => timestamp + (long)(span.TotalSeconds * time.TimestampFrequency);
}
