using System.Globalization;

namespace Bandits.Dashboard.Formatting;

/// <summary>Numbers as people read them: 12.3k decisions, 4.5%, 0.123.</summary>
public static class Numbers
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>A count: 950, 12.3k, 4.5M, 1.2B.</summary>
    public static string Count(long value)
    {
        long magnitude = Math.Abs(value);
        return magnitude switch
        {
            < 1_000 => value.ToString(Culture),
            < 1_000_000 => Compact(value / 1e3) + "k",
            < 1_000_000_000 => Compact(value / 1e6) + "M",
            _ => Compact(value / 1e9) + "B",
        };
    }

    /// <summary>A share in [0, 1] as a percentage with one decimal; the ends say when they are rounded.</summary>
    public static string Percent(double share) => share switch
    {
        double.NaN => "–",
        <= 0 => "0%",
        < 0.001 => "<0.1%",
        >= 1 => "100%",
        > 0.999 => ">99.9%",
        _ => (share * 100).ToString("0.0", Culture) + "%",
    };

    /// <summary>A mean or a loss: three significant figures, thousands compacted.</summary>
    public static string Value(double value)
    {
        if (!double.IsFinite(value)) return "–";
        double magnitude = Math.Abs(value);
        return magnitude switch
        {
            0 => "0",
            >= 1e9 => Compact(value / 1e9) + "B",
            >= 1e6 => Compact(value / 1e6) + "M",
            >= 1e4 => Compact(value / 1e3) + "k",
            >= 100 => value.ToString("0", Culture),
            >= 10 => value.ToString("0.0", Culture),
            >= 1 => value.ToString("0.00", Culture),
            >= 0.001 => value.ToString("0.000", Culture),
            _ => value > 0 ? "<0.001" : ">−0.001",
        };
    }

    /// <summary>A 95% interval: "0.101–0.145".</summary>
    public static string Interval(double lower, double upper) => $"{Value(lower)}–{Value(upper)}";

    /// <summary>How long ago, coarsely: "just now", "5 min ago", "3 h ago", "12 d ago".</summary>
    public static string Ago(DateTimeOffset moment, DateTimeOffset now)
    {
        TimeSpan age = now - moment;
        return age.TotalSeconds switch
        {
            < 60 => "just now",
            < 3600 => $"{(int)age.TotalMinutes} min ago",
            < 86400 => $"{(int)age.TotalHours} h ago",
            _ => $"{(int)age.TotalDays} d ago",
        };
    }

    /// <summary>A round-trip form for data attributes (tests compare these with the API).</summary>
    public static string Exact(double value) => value.ToString("R", Culture);

    private static string Compact(double scaled) =>
        (Math.Abs(scaled) < 100 ? scaled.ToString("0.#", Culture) : scaled.ToString("0", Culture));
}
