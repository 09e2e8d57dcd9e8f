namespace Bandits.Abstractions;

/// <summary>
/// An experiment's statistics over time (GET …/history): for each bucket, what happened in it
/// (decisions, rewards, reward sum) and the posterior at its end (mean, interval, P(best)).
/// </summary>
public sealed record ExperimentHistory(string ExperimentId, string Step, IReadOnlyList<HistoryPoint> Points);

/// <summary>One bucket of <see cref="ExperimentHistory"/>; <see cref="Time"/> is its start.</summary>
public sealed record HistoryPoint(DateTimeOffset Time, IReadOnlyList<HistoryArm> Arms);

/// <summary>
/// One arm in one bucket. Decisions, rewards and reward sum are the bucket's own; mean, lower,
/// upper and P(best) are the posterior's at the end of the bucket (all evidence so far); the
/// traffic share is the arm's share of the bucket's decisions.
/// </summary>
public sealed record HistoryArm(
    string Arm, long Decisions, long Rewards, double RewardSum, double Mean, double Lower, double Upper, double ProbabilityBest, double TrafficShare);

/// <summary>The bucket widths of <see cref="ExperimentHistory"/>.</summary>
public enum HistoryStep
{
    Minute,
    Hour,
    Day,
}

/// <summary>What a <see cref="HistoryStep"/> means: its width and its name in the API.</summary>
public static class HistorySteps
{
    public static TimeSpan Width(this HistoryStep step) => step switch
    {
        HistoryStep.Minute => TimeSpan.FromMinutes(1),
        HistoryStep.Hour => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>"1m", "1h" or "1d".</summary>
    public static string Name(this HistoryStep step) => step switch { HistoryStep.Minute => "1m", HistoryStep.Hour => "1h", _ => "1d" };
}
