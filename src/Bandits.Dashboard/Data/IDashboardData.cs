using Bandits.Abstractions;

namespace Bandits.Dashboard.Data;

/// <summary>What the dashboard reads and changes; the host implements it over its grains and services.</summary>
public interface IDashboardData
{
    /// <summary>A page of the experiments whose id contains <paramref name="search"/>, one line each, in id order.</summary>
    /// <param name="cursor">The page's start: null for the first, else the <see cref="ExperimentSummaryPage.NextCursor"/> of the page before.</param>
    Task<ExperimentSummaryPage> ListExperimentsAsync(string? search, string? cursor, int limit, CancellationToken cancellationToken);

    /// <summary>The experiment and its statistics now, or null if it does not exist.</summary>
    Task<ExperimentDetails?> GetExperimentAsync(string id, CancellationToken cancellationToken);

    /// <summary>Its statistics over time, one point per <paramref name="step"/>; null if it does not exist.</summary>
    Task<ExperimentHistory?> GetHistoryAsync(string id, DateTimeOffset from, DateTimeOffset to, HistoryStep step, CancellationToken cancellationToken);

    /// <summary>The statistics now, then each change (at most once a second); ends when the experiment is deleted.</summary>
    IAsyncEnumerable<ExperimentStatistics> WatchAsync(string id, CancellationToken cancellationToken);

    /// <summary>Concludes with <paramref name="winner"/>; the key is checked for the admin role here, whatever the page showed.</summary>
    Task<AdminOutcome> ConcludeAsync(string apiKey, string id, string winner);

    /// <summary>Returns a concluded experiment to learning; admin only, as <see cref="ConcludeAsync"/>.</summary>
    Task<AdminOutcome> ReopenAsync(string apiKey, string id);
}

/// <summary>One line of the experiments page.</summary>
/// <param name="Leader">The arm most likely to be best, null without arms.</param>
/// <param name="LastActivity">When the definition, lifecycle or learned state last changed.</param>
public sealed record ExperimentSummary(
    string Id, string Status, int ArmCount, long Decisions, string? Leader, double LeaderProbabilityBest, DateTimeOffset LastActivity);

/// <summary>A page of the experiments list, how many match in all, and the next page's cursor (null on the last).</summary>
public sealed record ExperimentSummaryPage(IReadOnlyList<ExperimentSummary> Experiments, long Total, string? NextCursor);

/// <summary>An experiment's definition and its statistics, read together.</summary>
public sealed record ExperimentDetails(ExperimentView Experiment, ExperimentStatistics Statistics);

/// <summary>The answer to an administrator's action: done, or refused with a reason in words.</summary>
public sealed record AdminOutcome(string? Error)
{
    public static readonly AdminOutcome Done = new((string?)null);

    public bool Succeeded => Error is null;
}
