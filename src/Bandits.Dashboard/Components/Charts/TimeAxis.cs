using Bandits.Dashboard.Data;
using Bandits.Dashboard.Formatting;

namespace Bandits.Dashboard.Components.Charts;

/// <summary>Axis labels: times in UTC at the grain of the range, numbers as people read them.</summary>
public static class TimeAxis
{
    public static Func<object, string> Formatter(HistoryRange range) => range switch
    {
        HistoryRange.Day => value => Time(value, "HH:mm"),
        HistoryRange.Week => value => Time(value, "MMM d HH:mm"),
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
