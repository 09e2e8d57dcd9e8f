using Bandits.Abstractions;

namespace Bandits.Dashboard.Data;

/// <summary>The time ranges of the experiment page, each with the bucket width that keeps its charts readable.</summary>
public enum HistoryRange
{
    Day,
    Week,
    Month,
    All,
}

public static class HistoryRanges
{
    /// <summary>The range a link names (24h, 7d, 30d, all); 24 hours for anything else.</summary>
    public static HistoryRange Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "7d" => HistoryRange.Week,
        "30d" => HistoryRange.Month,
        "all" => HistoryRange.All,
        _ => HistoryRange.Day,
    };

    public static string Label(this HistoryRange range) => range switch
    {
        HistoryRange.Day => "24 h",
        HistoryRange.Week => "7 d",
        HistoryRange.Month => "30 d",
        _ => "All",
    };

    /// <summary>24 h by the minute, 7 and 30 days by the hour, the whole experiment by the day.</summary>
    public static HistoryStep Step(this HistoryRange range) => range switch
    {
        HistoryRange.Day => HistoryStep.Minute,
        HistoryRange.Week or HistoryRange.Month => HistoryStep.Hour,
        _ => HistoryStep.Day,
    };

    /// <summary>Where the range starts: a fixed span back from now, or the beginning (the history starts at the experiment's first event).</summary>
    public static DateTimeOffset From(this HistoryRange range, DateTimeOffset now) => range switch
    {
        HistoryRange.Day => now.AddDays(-1),
        HistoryRange.Week => now.AddDays(-7),
        HistoryRange.Month => now.AddDays(-30),
        _ => DateTimeOffset.UnixEpoch,
    };
}
