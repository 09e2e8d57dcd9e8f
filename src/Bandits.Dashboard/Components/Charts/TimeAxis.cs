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

    public static string Number(object value) => value is IConvertible c ? Numbers.Value(c.ToDouble(null)) : "";

    private static string Time(object value, string format) =>
        value is DateTime time ? time.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : value.ToString() ?? "";
}
