using Bandits.Abstractions;
using Bandits.Dashboard.Data;
using Bandits.Dashboard.Session;
using Bandits.Server.Analytics;
using Bandits.Server.Api;

namespace Bandits.Server.Dashboard;

/// <summary>The dashboard's reads and actions over the experiment grains, the log and the analytics services.</summary>
public sealed class DashboardData(IGrainFactory grains, ExperimentPages pages, HistoryService history, StatisticsFeed feed, IDashboardSignIn signIn)
    : IDashboardData
{
    public async Task<ExperimentSummaryPage> ListExperimentsAsync(string? search, string? cursor, int limit, CancellationToken cancellationToken)
    {
        string? after = null;
        if (cursor is not null && !ExperimentPages.TryReadCursor(cursor, out after!)) throw new ArgumentException("Not a cursor of this list.", nameof(cursor));
        ListingPage page = await pages.ReadAsync(status: null, search, Math.Clamp(limit, 1, ExperimentPages.MaxLimit), after, cancellationToken);
        return new ExperimentSummaryPage(page.Experiments.Select(Summarize).ToList(), page.Total, page.NextCursor);
    }

    public async Task<ExperimentDetails?> GetExperimentAsync(string id, CancellationToken cancellationToken)
    {
        IExperimentGrain grain = grains.GetGrain<IExperimentGrain>(id);
        Task<ExperimentView?> view = grain.GetAsync();
        Task<ExperimentStatistics?> statistics = grain.GetStatisticsAsync();
        return await view is { } experiment && await statistics is { } figures ? new ExperimentDetails(experiment, figures) : null;
    }

    public Task<ExperimentHistory?> GetHistoryAsync(string id, DateTimeOffset from, DateTimeOffset to, HistoryStep step, CancellationToken cancellationToken) =>
        history.GetAsync(id, from, to, step, cancellationToken);

    public IAsyncEnumerable<ExperimentStatistics> WatchAsync(string id, CancellationToken cancellationToken) => feed.WatchAsync(id, cancellationToken);

    public async Task<AdminOutcome> ConcludeAsync(string apiKey, string id, string winner)
    {
        if (RefuseUnlessAdmin(apiKey) is { } refusal) return refusal;
        try
        {
            return await grains.GetGrain<IExperimentGrain>(id).ConcludeAsync(winner) is null ? NotFound(id) : AdminOutcome.Done;
        }
        catch (ArgumentException e)
        {
            return new AdminOutcome(e.Message);
        }
    }

    public async Task<AdminOutcome> ReopenAsync(string apiKey, string id)
    {
        if (RefuseUnlessAdmin(apiKey) is { } refusal) return refusal;
        return await grains.GetGrain<IExperimentGrain>(id).ReopenAsync() is null ? NotFound(id) : AdminOutcome.Done;
    }

    /// <summary>Checked here, on the server, whatever the page showed: the key must still be an admin's.</summary>
    private AdminOutcome? RefuseUnlessAdmin(string apiKey) =>
        signIn.SignIn(apiKey).User is { IsAdmin: true } ? null : new AdminOutcome("Only an admin key may conclude or reopen an experiment.");

    private static AdminOutcome NotFound(string id) => new($"There is no experiment '{id}'.");

    private static ExperimentSummary Summarize(ExperimentListing listing) => new(
        listing.Experiment.Id, listing.Experiment.Status, listing.Experiment.Definition.Arms.Count, listing.Decisions,
        listing.Leader, listing.LeaderProbabilityBest ?? 0, listing.LastActivity);
}
