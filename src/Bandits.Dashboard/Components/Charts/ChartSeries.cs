namespace Bandits.Dashboard.Components.Charts;

/// <summary>A point of a time series as the charts bind it (Radzen binds by property name).</summary>
public sealed record TimePoint(DateTime Time, double Value);

/// <summary>A mean with its 95% band at one time.</summary>
public sealed record BandPoint(DateTime Time, double Mean, double Lower, double Upper);

/// <summary>A point of a density curve.</summary>
public sealed record DensityPoint(double X, double Density);

/// <summary>The span a time chart's axis covers: the chosen range, from the experiment's start at the earliest.</summary>
public sealed record TimeWindow(DateTime From, DateTime To);

/// <summary>One arm's series of a chart.</summary>
public sealed record ArmSeries<T>(string Arm, string Color, IReadOnlyList<T> Points)
{
    /// <summary>Few points draw short lines or none (one point): markers show them.</summary>
    public bool NeedsMarkers => Points.Count <= 48;
}
