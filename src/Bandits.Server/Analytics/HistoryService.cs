using Bandits.Abstractions;
using Bandits.Core.Statistics;
using Bandits.Grains.Analysis;
using Bandits.Grains.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace Bandits.Server.Analytics;

/// <summary>
/// An experiment's statistics over time and at a past moment, from the rollups the log writes
/// (GET …/history, GET …/stats?at=). Reads the database directly: no grain call but one for the
/// definition, and no scan of the log.
/// </summary>
public sealed class HistoryService(IGrainFactory grains, RollupReader rollups, TimeProvider time)
{
    /// <summary>Most points one answer holds.</summary>
    public const int MaxPoints = 5000;

    /// <summary>
    /// A bucket this long closed has all its rewards (they are timed by the grain's clock when
    /// committed) and its decisions (handed back within a second or two), so its point is final.
    /// </summary>
    private static readonly TimeSpan Final = TimeSpan.FromMinutes(2);

    /// <summary>Kept points are rebuilt from the database after this long: a straggler (a decision handed back late after a failure) shows by then.</summary>
    private static readonly TimeSpan Rebuild = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The closed points of recent histories, by experiment, incarnation, definition version
    /// (arms and discount decide the posterior) and step: P(best) and the intervals of hundreds
    /// of points are costly, and dashboards ask for the same ones again and again. Sized in
    /// points, about 1 KB each for 10 arms.
    /// </summary>
    private readonly MemoryCache closedHistories = new(new MemoryCacheOptions { SizeLimit = 50_000 });

    /// <summary>Whether minute buckets are certainly kept for a moment this far back.</summary>
    public bool MinutesKeptFor(DateTimeOffset moment) => moment >= time.GetUtcNow() - Rollups.MinutesReliable;

    /// <summary>
    /// The points of the buckets that start in [<paramref name="from"/>, <paramref name="to"/>)
    /// (aligned to the step, from the experiment's first event on), or null if the experiment does not exist.
    /// </summary>
    public async Task<ExperimentHistory?> GetAsync(string experimentId, DateTimeOffset from, DateTimeOffset to, HistoryStep step, CancellationToken cancellationToken)
    {
        if (await grains.GetGrain<IExperimentGrain>(experimentId).GetAsync() is not { } experiment) return null;
        long width = (long)step.Width().TotalMilliseconds;
        // Not before the experiment's first decision or reward: there is nothing to show before.
        long firstEvent = await rollups.ReadFirstHourAsync(experimentId, cancellationToken) ?? experiment.CreatedAt.ToUnixTimeMilliseconds();
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long start = Rollups.Floor(Math.Max(from.ToUnixTimeMilliseconds(), firstEvent), width);
        long end = Math.Min(to.ToUnixTimeMilliseconds(), now + 1);
        int resolution = step == HistoryStep.Minute ? Rollups.Minute : Rollups.Hour;

        // Closed points kept from an earlier answer cover a prefix of the range, if any: a point
        // holds the posterior since the beginning, so any window of them is exact as it is.
        var key = (experimentId, experiment.Incarnation, experiment.Version, step);
        var points = new List<HistoryPoint>();
        HistoryBuilder builder;
        long computeFrom;
        if (closedHistories.TryGetValue(key, out ClosedHistory? closed) && closed is not null
            && closed.From <= start && start <= closed.Through && now - closed.BuiltAt < Rebuild.TotalMilliseconds)
        {
            int first = (int)((start - closed.From) / width), last = (int)((Math.Min(end, closed.Through) - closed.From + width - 1) / width);
            for (int i = first; i < last && i < closed.Points.Count; i++) points.Add(closed.Points[i]);
            if (end <= closed.Through) return new ExperimentHistory(experimentId, step.Name(), points);
            (builder, computeFrom) = (closed.Builder.Clone(), closed.Through);
        }
        else
        {
            closed = null;
            builder = new HistoryBuilder(experiment);
            await AddEverythingBeforeAsync(builder, experiment, resolution, start, cancellationToken);
            computeFrom = start;
        }

        IReadOnlyList<RollupBucket> rows = await rollups.ReadBucketsAsync(experimentId, resolution, computeFrom, end, cancellationToken);
        (List<HistoryPoint> computed, int closedCount, HistoryBuilder? atClosedEnd) =
            ComputePoints(builder, rows, computeFrom, end, width, finalBefore: now - (long)Final.TotalMilliseconds);
        points.AddRange(computed);
        if (closedCount > 0)
        {
            List<HistoryPoint> kept = [.. closed?.Points ?? [], .. computed.Take(closedCount)];
            closedHistories.Set(key, new ClosedHistory(closed?.From ?? start, computeFrom + closedCount * width, kept, atClosedEnd!, closed?.BuiltAt ?? now),
                new MemoryCacheEntryOptions { Size = kept.Count, SlidingExpiration = Rebuild });
        }
        return new ExperimentHistory(experimentId, step.Name(), points);
    }

    /// <summary>
    /// Folds the buckets of [<paramref name="from"/>, <paramref name="to"/>) into
    /// <paramref name="builder"/> and makes their points: the posterior at each bucket's end (in
    /// parallel: P(best) is the costly part; a bucket without a reward shares the one before)
    /// and the bucket's own counts. Also returns how many leading points are closed (end before
    /// <paramref name="finalBefore"/>) and a copy of the builder at the end of them.
    /// </summary>
    private static (List<HistoryPoint> Points, int ClosedCount, HistoryBuilder? AtClosedEnd) ComputePoints(
        HistoryBuilder builder, IReadOnlyList<RollupBucket> rows, long from, long to, long width, long finalBefore)
    {
        var buckets = new List<Dictionary<int, RollupCounts>>();
        var states = new List<Core.BanditState?>();
        int next = 0, closedCount = 0;
        HistoryBuilder? atClosedEnd = null;
        for (long t = from; t < to; t += width)
        {
            var bucket = new Dictionary<int, RollupCounts>();
            for (; next < rows.Count && rows[next].Bucket < t + width; next++)
                bucket[rows[next].ArmIndex] = bucket.GetValueOrDefault(rows[next].ArmIndex) + rows[next].Counts;
            builder.Add(bucket);
            buckets.Add(bucket);
            states.Add(states.Count == 0 || bucket.Values.Any(c => c.Rewards > 0) ? builder.State() : null);
            if (t + width <= finalBefore)
            {
                closedCount++;
                if (t + 2 * width > finalBefore || t + width >= to) atClosedEnd = builder.Clone();
            }
        }
        var summaries = new ArmSummary[states.Count][];
        Parallel.For(0, states.Count, i =>
        {
            if (states[i] is { } state) summaries[i] = PosteriorStatistics.Summarize(state);
        });
        var points = new List<HistoryPoint>(states.Count);
        for (int i = 0; i < states.Count; i++)
        {
            ArmSummary[] summary = summaries[i] ??= summaries[i - 1];
            Dictionary<int, RollupCounts> bucket = buckets[i];
            long decisions = bucket.Values.Sum(c => c.Decisions);
            points.Add(new HistoryPoint(DateTimeOffset.FromUnixTimeMilliseconds(from + i * width), summary.Select((s, arm) =>
            {
                RollupCounts own = bucket.GetValueOrDefault(arm);
                return new HistoryArm(s.Name, own.Decisions, own.Rewards, own.RewardSum, s.Mean, s.Lower, s.Upper, s.ProbabilityBest,
                    decisions > 0 ? (double)own.Decisions / decisions : 0);
            }).ToList()));
        }
        return (points, closedCount, atClosedEnd);
    }

    /// <summary>
    /// The statistics as they were at <paramref name="at"/>: through the last whole minute where
    /// minute buckets are kept, else through the last whole hour. Null if the experiment does not exist.
    /// </summary>
    public async Task<ExperimentStatistics?> StatisticsAtAsync(string experimentId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await grains.GetGrain<IExperimentGrain>(experimentId).GetAsync() is not { } experiment) return null;
        int resolution = MinutesKeptFor(at) ? Rollups.Minute : Rollups.Hour;
        long boundary = Rollups.BucketOf(at.ToUnixTimeMilliseconds(), resolution);
        var builder = new HistoryBuilder(experiment);
        await AddEverythingBeforeAsync(builder, experiment, resolution, boundary, cancellationToken);
        // Traffic share as the live statistics show it: of recent decisions (here, the last hour's).
        IReadOnlyDictionary<int, RollupCounts> recent = await rollups.ReadTotalsAsync(experimentId, resolution, boundary - 3_600_000, boundary, cancellationToken);
        long recentDecisions = recent.Values.Sum(c => c.Decisions);
        ArmSummary[] summaries = builder.Summarize();
        return new ExperimentStatistics
        {
            ExperimentId = experimentId,
            Policy = experiment.Definition.Policy,
            TotalDecisions = builder.Decisions.Sum(),
            TotalRewards = summaries.Sum(s => s.Observations),
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(boundary),
            At = DateTimeOffset.FromUnixTimeMilliseconds(boundary),
            Status = experiment.Status,
            Winner = experiment.Winner,
            Arms = summaries.Select((s, i) =>
                ArmStatisticsView.Of(s, builder.Decisions[i], recentDecisions > 0 ? (double)recent.GetValueOrDefault(i).Decisions / recentDecisions : 0)).ToList(),
        };
    }

    /// <summary>
    /// Adds to <paramref name="builder"/> everything before <paramref name="before"/>: whole hours,
    /// then (at minute resolution) the minutes of the hour it falls in. With γ = 1 as sums (exact
    /// and one query each); with γ &lt; 1 bucket by bucket, since order matters.
    /// </summary>
    private async Task AddEverythingBeforeAsync(HistoryBuilder builder, ExperimentView experiment, int resolution, long before, CancellationToken cancellationToken)
    {
        long hour = Rollups.BucketOf(before, Rollups.Hour);
        (int Resolution, long From, long To)[] spans = resolution == Rollups.Minute ? [(Rollups.Hour, 0, hour), (Rollups.Minute, hour, before)] : [(Rollups.Hour, 0, hour)];
        foreach ((int spanResolution, long from, long to) in spans)
        {
            if (to <= from) continue;
            if (experiment.Definition.Discount == 1)
            {
                builder.Add(await rollups.ReadTotalsAsync(experiment.Id, spanResolution, from, to, cancellationToken));
                continue;
            }
            IReadOnlyList<RollupBucket> rows = await rollups.ReadBucketsAsync(experiment.Id, spanResolution, from, to, cancellationToken);
            foreach (IGrouping<long, RollupBucket> bucket in rows.GroupBy(r => r.Bucket))
                builder.Add(bucket.ToDictionary(r => r.ArmIndex, r => r.Counts));
        }
    }

    /// <summary>The closed points [<see cref="From"/>, <see cref="Through"/>) of a history and its builder at their end.</summary>
    private sealed record ClosedHistory(long From, long Through, IReadOnlyList<HistoryPoint> Points, HistoryBuilder Builder, long BuiltAt);
}
