using System.Globalization;
using System.Text;
using System.Text.Json;
using Bandits.Abstractions;
using Bandits.Server.Analytics;
using Bandits.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bandits.Server.Api;

/// <summary>The analysts' routes beyond the present statistics: history over time and the live stream (docs/api.md).</summary>
public static class AnalyticsApi
{
    /// <summary>A comment line this often keeps proxies and clients from closing an idle stream.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder v1 = app.MapGroup("/v1/experiments").WithTags("Experiments").ValidateRequests();
        v1.MapGet("/{id}/history", GetHistory).RequireAuthorization(Roles.CanRead);
        v1.MapGet("/{id}/stats/stream", StreamStatistics).RequireAuthorization(Roles.CanRead).Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return app;
    }

    private static async Task<Results<Ok<ExperimentHistory>, ValidationProblem, ExperimentNotFound>> GetHistory(
        string id, string? from, string? to, string? step, HistoryService history, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        HistoryStep width = HistoryStep.Hour;
        if (step is not null && !TryParseStep(step, out width)) errors["step"] = ["step must be 1m, 1h or 1d."];
        DateTimeOffset end = time.GetUtcNow(), start = default;
        if (to is not null && !TryParseTime(to, out end)) errors["to"] = ["to must be a time in ISO 8601, such as 2026-12-01T10:00:00Z."];
        if (from is null) start = end - DateTimeOffset.MinValue > DefaultSpan(width) ? end - DefaultSpan(width) : DateTimeOffset.MinValue;
        else if (!TryParseTime(from, out start)) errors["from"] = ["from must be a time in ISO 8601, such as 2026-12-01T10:00:00Z."];
        if (errors.Count == 0)
        {
            if (start >= end) errors["from"] = ["from must be before to."];
            else if (width == HistoryStep.Minute && !history.MinutesKeptFor(start))
                errors["step"] = ["Minute buckets are kept for the last 48 hours: use step=1h (or 1d) for older history."];
            else if ((end - start) / width.Width() is var points && points > HistoryService.MaxPoints)
                errors["step"] = [$"That range holds {points:0} points at step {width.Name()}; at most {HistoryService.MaxPoints}: use a longer step or a shorter range."];
        }
        if (errors.Count > 0) return Problems.Validation(errors);
        return await history.GetAsync(id, start, end, width, cancellationToken) is { } answer ? TypedResults.Ok(answer) : Problems.ExperimentNotFound(id);
    }

    /// <summary>
    /// Server-Sent Events: a "stats" event (the JSON of GET …/stats) at most once a second while
    /// the experiment changes, a comment line every <see cref="Heartbeat"/>, and a "deleted" event
    /// before the stream ends if the experiment is deleted.
    /// </summary>
    private static async Task<Results<EmptyHttpResult, ExperimentNotFound>> StreamStatistics(
        string id, HttpContext context, IGrainFactory grains, StatisticsFeed feed, CancellationToken cancellationToken)
    {
        if (await grains.GetGrain<IExperimentGrain>(id).GetAsync() is null) return Problems.ExperimentNotFound(id);
        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass events on at once
        await response.Body.FlushAsync(cancellationToken);

        IAsyncEnumerator<ExperimentStatistics> updates = feed.WatchAsync(id, cancellationToken).GetAsyncEnumerator(cancellationToken);
        Task<bool> next = updates.MoveNextAsync().AsTask();
        try
        {
            while (true)
            {
                if (await Task.WhenAny(next, Task.Delay(Heartbeat, cancellationToken)) != next)
                {
                    await WriteAsync(response, ": heartbeat\n\n", cancellationToken);
                    continue;
                }
                if (!await next)
                {
                    await WriteAsync(response, "event: deleted\ndata: {}\n\n", cancellationToken);
                    break;
                }
                await WriteAsync(response, $"event: stats\ndata: {JsonSerializer.Serialize(updates.Current, Serialization.Options)}\n\n", cancellationToken);
                next = updates.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            try
            {
                await next; // an iterator may be disposed only between moves
            }
            catch (OperationCanceledException)
            {
            }
            await updates.DisposeAsync();
        }
        return TypedResults.Empty;
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static TimeSpan DefaultSpan(HistoryStep step) => step switch
    {
        HistoryStep.Minute => TimeSpan.FromHours(24),
        HistoryStep.Hour => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(365),
    };

    private static bool TryParseStep(string text, out HistoryStep step)
    {
        (bool known, step) = text switch
        {
            "1m" => (true, HistoryStep.Minute),
            "1h" => (true, HistoryStep.Hour),
            "1d" => (true, HistoryStep.Day),
            _ => (false, HistoryStep.Hour),
        };
        return known;
    }

    internal static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
