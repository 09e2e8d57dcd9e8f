namespace Bandits.Grains.Serving;

/// <summary>
/// The grain's record of the model copies it leased to the silos' choosers: the copy it
/// publishes now, and which silo holds a copy until when. A change of the arms (PUT) or a
/// delete is answered only once no silo can serve the old experiment: every holder is told to
/// drop its copy, and for a holder that does not confirm, and for the copies of a previous
/// activation (whose holders are not known), the answer waits until they expire. Timed on the
/// monotonic clock of the <see cref="TimeProvider"/>, as <see cref="ServingSlot"/> is.
/// </summary>
internal sealed class CopyLeaseBook(TimeProvider time, ExperimentGrainOptions settings)
{
    private Dictionary<SiloAddress, long>? holders; // made at the first lease: an idle experiment holds none
    private ServingCopy? published;
    private long publishedRevision;
    private long publishedAt;
    // Publication numbers are unique across activations: they start at the activation's clock.
    private long publication = time.GetUtcNow().UtcTicks;
    private long previousActivationExpires = time.GetTimestamp();

    /// <summary>Copies of a previous activation may still be in use: they expire within one lease.</summary>
    public void AfterActivation() => previousActivationExpires = After(time.GetTimestamp(), settings.ServingLease);

    /// <summary>
    /// The copy to lease to <paramref name="holder"/> now and for how long it is valid: the
    /// published one while it is the current model or younger than
    /// <see cref="ExperimentGrainOptions.ModelRefresh"/>, else a new one.
    /// </summary>
    public (ServingCopy Copy, TimeSpan ValidFor) Lease(ExperimentModel model, SiloAddress holder)
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
        long expires = After(now, validFor);
        holders ??= [];
        holders[holder] = holders.TryGetValue(holder, out long before) ? Math.Max(before, expires) : expires;
        return (published, validFor);
    }

    /// <summary>
    /// Stops leasing the current copy (the definition changed, or the experiment is gone), has
    /// every silo that may hold one drop it (<paramref name="dropOn"/>), and returns once none
    /// can serve it: dropped, or expired where a silo did not confirm in time.
    /// </summary>
    public async Task WithdrawAsync(Func<SiloAddress, Task> dropOn)
    {
        published = null;
        long now = time.GetTimestamp();
        KeyValuePair<SiloAddress, long>[] holding = holders is null ? [] : [.. holders.Where(h => h.Value > now)];
        holders?.Clear(); // leases from now on are of the new copy
        long answerAt = previousActivationExpires;
        await Task.WhenAll(holding.Select(async holder =>
        {
            try
            {
                // No longer than the copy lasts anyway.
                TimeSpan left = time.GetElapsedTime(time.GetTimestamp(), holder.Value);
                await dropOn(holder.Key).WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time);
            }
            catch (Exception)
            {
                answerAt = Math.Max(answerAt, holder.Value); // unreachable, or too slow: wait for the copy to expire
            }
        }));
        await WaitUntilAsync(answerAt);
    }

    /// <summary>Waits, without holding up other calls, until <paramref name="timestamp"/> has passed.</summary>
    /// <remarks>
    /// Checked again after every delay: timers count whole milliseconds and may fire a fraction of
    /// one early, and a caller answered that early could still be served by a copy for that long.
    /// </remarks>
    private async Task WaitUntilAsync(long timestamp)
    {
        for (TimeSpan wait; (wait = time.GetElapsedTime(time.GetTimestamp(), timestamp)) > TimeSpan.Zero;)
            await Task.Delay(wait + TimeSpan.FromMilliseconds(1), time);
    }

    private long After(long timestamp, TimeSpan span) => timestamp + (long)(span.TotalSeconds * time.TimestampFrequency);
}
