using Bandits.Abstractions;

namespace Bandits.Dashboard.Components.Charts;

/// <summary>
/// The series of the three time charts: the history's buckets, closed by the present. P(best)
/// and the mean are the posterior at each bucket's end, so the live statistics add the point
/// "now"; a traffic share holds for its whole bucket, so the last one is drawn to its end.
/// Without that a new experiment (one bucket) would draw nothing. Traffic shares come stacked
/// (each arm's band lies on the arms before it), computed here in one pass: Radzen's own stacked
/// series matched every point against the other series, which took most of a second for 30 days.
/// </summary>
public sealed record ChartData(
    IReadOnlyList<ArmSeries<TimePoint>> ProbabilityBest, IReadOnlyList<ArmSeries<BandPoint>> TrafficShare, IReadOnlyList<ArmSeries<BandPoint>> Means)
{
    public static readonly ChartData Empty = new([], [], []);

    /// <param name="allArms">Every arm of the experiment, in order: the table's order and colours.</param>
    /// <param name="bucketWidth">The history's step.</param>
    public static ChartData From(ExperimentHistory history, IReadOnlyList<string> allArms, ExperimentStatistics now, TimeSpan bucketWidth)
    {
        history = FromFirstEvent(history);
        if (history.Points.Count == 0) return Empty;
        var present = history.Points.SelectMany(p => p.Arms).Select(a => a.Arm).ToHashSet();
        var arms = allArms.Where(present.Contains).ToList();
        DateTime at = now.UpdatedAt.UtcDateTime;
        DateTime lastStart = history.Points[^1].Time.UtcDateTime;
        DateTime lastEnd = lastStart + bucketWidth < at ? lastStart + bucketWidth : Later(at, lastStart);

        return new ChartData(
            arms.Select(arm => Series(arm, allArms, history, a => a.ProbabilityBest, Live(now, arm, at, s => s.ProbabilityBest))).ToList(),
            Stack(arms.Select(arm => Series(arm, allArms, history, a => a.TrafficShare, Last(history, arm, lastEnd))).ToList()),
            arms.Select(arm => Bands(arm, allArms, history, now, at)).ToList());
    }

    private static ArmSeries<TimePoint> Series(string arm, IReadOnlyList<string> allArms, ExperimentHistory history, Func<HistoryArm, double> value, TimePoint? close)
    {
        var points = history.Points.Select(p => new TimePoint(p.Time.UtcDateTime, p.Arms.FirstOrDefault(a => a.Arm == arm) is { } a ? value(a) : 0)).ToList();
        if (close is not null && close.Time > points[^1].Time) points.Add(close);
        return new ArmSeries<TimePoint>(arm, ArmPalette.Color(allArms, arm), points);
    }

    /// <summary>
    /// Without the buckets before the first decision or reward: the history may start at the
    /// hour of the first event, and its empty minutes would draw the prior as if it were evidence.
    /// </summary>
    private static ExperimentHistory FromFirstEvent(ExperimentHistory history)
    {
        int first = 0;
        while (first < history.Points.Count - 1 && history.Points[first].Arms.All(a => a.Decisions == 0 && a.Rewards == 0)) first++;
        return first == 0 ? history : history with { Points = history.Points.Skip(first).ToList() };
    }

    /// <summary>When the charts start: their first point.</summary>
    public DateTime? Start => ProbabilityBest.FirstOrDefault()?.Points.FirstOrDefault()?.Time;

    /// <summary>Each series on top of the ones before it; all have the same times (one per bucket, and the last bucket's end).</summary>
    private static IReadOnlyList<ArmSeries<BandPoint>> Stack(IReadOnlyList<ArmSeries<TimePoint>> shares)
    {
        int count = shares.Count == 0 ? 0 : shares.Min(s => s.Points.Count);
        var below = new double[count];
        var stacked = new List<ArmSeries<BandPoint>>(shares.Count);
        foreach (ArmSeries<TimePoint> share in shares)
        {
            var points = new List<BandPoint>(count);
            for (int i = 0; i < count; i++)
            {
                TimePoint p = share.Points[i];
                points.Add(new BandPoint(p.Time, p.Value, below[i], below[i] + p.Value));
                below[i] += p.Value;
            }
            stacked.Add(new ArmSeries<BandPoint>(share.Arm, share.Color, points));
        }
        return stacked;
    }

    /// <summary>Mean and band; buckets before the arm existed are left out rather than drawn at zero.</summary>
    private static ArmSeries<BandPoint> Bands(string arm, IReadOnlyList<string> allArms, ExperimentHistory history, ExperimentStatistics now, DateTime at)
    {
        var points = history.Points.SelectMany(p => p.Arms.Where(a => a.Arm == arm && double.IsFinite(a.Lower) && double.IsFinite(a.Upper))
            .Select(a => new BandPoint(p.Time.UtcDateTime, a.Mean, a.Lower, a.Upper))).ToList();
        if (now.Arms.FirstOrDefault(a => a.Arm == arm) is { } live && double.IsFinite(live.Lower) && double.IsFinite(live.Upper)
            && (points.Count == 0 || at > points[^1].Time))
            points.Add(new BandPoint(at, live.Mean, live.Lower, live.Upper));
        return new ArmSeries<BandPoint>(arm, ArmPalette.Color(allArms, arm), points);
    }

    private static TimePoint? Live(ExperimentStatistics now, string arm, DateTime at, Func<ArmStatisticsView, double> value) =>
        now.Arms.FirstOrDefault(a => a.Arm == arm) is { } live ? new TimePoint(at, value(live)) : null;

    private static TimePoint? Last(ExperimentHistory history, string arm, DateTime end) =>
        history.Points[^1].Arms.FirstOrDefault(a => a.Arm == arm) is { } last ? new TimePoint(end, last.TrafficShare) : null;

    // A bucket that has only just begun still gets a visible width.
    private static DateTime Later(DateTime at, DateTime start) => at > start.AddSeconds(1) ? at : start.AddSeconds(1);
}
