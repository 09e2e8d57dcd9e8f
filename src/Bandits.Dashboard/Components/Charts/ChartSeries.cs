using Bandits.Abstractions;

namespace Bandits.Dashboard.Components.Charts;

/// <summary>A point of a time series as the charts bind it (Radzen binds by property name).</summary>
public sealed record TimePoint(DateTime Time, double Value);

/// <summary>A mean with its 95% band at one time.</summary>
public sealed record BandPoint(DateTime Time, double Mean, double Lower, double Upper);

/// <summary>A point of a density curve.</summary>
public sealed record DensityPoint(double X, double Density);

/// <summary>One arm's series of a chart.</summary>
public sealed record ArmSeries<T>(string Arm, string Color, IReadOnlyList<T> Points);

/// <summary>The history, arm by arm, in the shapes the charts draw.</summary>
public static class HistorySeries
{
    public static IReadOnlyList<string> Arms(ExperimentHistory history) =>
        history.Points.SelectMany(p => p.Arms).Select(a => a.Arm).Distinct().ToList();

    public static IReadOnlyList<ArmSeries<TimePoint>> Of(ExperimentHistory history, IReadOnlyList<string> arms, IReadOnlyList<string> allArms, Func<HistoryArm, double> value) =>
        arms.Select(arm => new ArmSeries<TimePoint>(arm, ArmPalette.Color(allArms, arm),
            history.Points.Select(p => new TimePoint(p.Time.UtcDateTime, p.Arms.FirstOrDefault(a => a.Arm == arm) is { } a ? value(a) : 0)).ToList())).ToList();

    /// <summary>Mean and band; buckets before the arm existed are left out rather than drawn at zero.</summary>
    public static IReadOnlyList<ArmSeries<BandPoint>> Bands(ExperimentHistory history, IReadOnlyList<string> arms, IReadOnlyList<string> allArms) =>
        arms.Select(arm => new ArmSeries<BandPoint>(arm, ArmPalette.Color(allArms, arm),
            history.Points.SelectMany(p => p.Arms.Where(a => a.Arm == arm && double.IsFinite(a.Lower) && double.IsFinite(a.Upper))
                .Select(a => new BandPoint(p.Time.UtcDateTime, a.Mean, a.Lower, a.Upper))).ToList())).ToList();
}
