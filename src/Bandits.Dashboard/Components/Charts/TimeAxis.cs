using Bandits.Dashboard.Data;
using Bandits.Dashboard.Formatting;

namespace Bandits.Dashboard.Components.Charts;

/// <summary>Axis labels: times in UTC at the grain of the range, numbers as people read them.</summary>
public static class TimeAxis
{
    /// <param name="window">What the axis spans: a young experiment's few minutes need seconds to tell ticks apart.</param>
    public static Func<object, string> Formatter(HistoryRange range, TimeWindow window) => (window.To - window.From, range) switch
    {
        ({ TotalMinutes: < 10 }, _) => value => Time(value, "HH:mm:ss"),
        ({ TotalDays: < 2 }, _) or (_, HistoryRange.Day) => value => Time(value, "HH:mm"),
        (_, HistoryRange.Week) => value => Time(value, "MMM d HH:mm"),
        _ => value => Time(value, "MMM d"),
    };

    public static string Percent(object value) =>
        value is IConvertible c ? (c.ToDouble(null) * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "";

    /// <summary>Axis numbers as short as they can be ("0.2", "1.5k"): the chart sizes its margin for short labels.</summary>
    public static string Number(object value) => value is IConvertible c ? Short(c.ToDouble(null)) : "";

    private static string Short(double value) =>
        Math.Abs(value) >= 1e4 ? Numbers.Value(value) : value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static string Time(object value, string format) =>
        value is DateTime time ? time.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : value.ToString() ?? "";
}
