using Bandits.Abstractions;

namespace Bandits.Dashboard.Data;

/// <summary>What the dashboard reads and changes; the host implements it over its grains and services.</summary>
public interface IDashboardData
{
    /// <summary>Every experiment, one line each.</summary>
    Task<IReadOnlyList<ExperimentSummary>> ListExperimentsAsync(CancellationToken cancellationToken);

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
/// <param name="LastActivity">When the statistics last changed.</param>
public sealed record ExperimentSummary(
    string Id, string Status, int ArmCount, long Decisions, string? Leader, double LeaderProbabilityBest, DateTimeOffset LastActivity);

/// <summary>An experiment's definition and its statistics, read together.</summary>
public sealed record ExperimentDetails(ExperimentView Experiment, ExperimentStatistics Statistics);

/// <summary>The answer to an administrator's action: done, or refused with a reason in words.</summary>
public sealed record AdminOutcome(string? Error)
{
    public static readonly AdminOutcome Done = new((string?)null);

    public bool Succeeded => Error is null;
}
