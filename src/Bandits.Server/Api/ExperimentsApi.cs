using Bandits.Abstractions;
using Bandits.Grains.Decisions;
using Bandits.Grains.Serving;
using Bandits.Grains.Storage;
using Bandits.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bandits.Server.Api;

/// <summary>
/// The /v1/experiments routes of the HTTP contract (docs/api.md). Bodies are bound by the
/// framework, ids and bodies checked by <see cref="ValidationFilter"/>; the result types say
/// what each route answers, for the handlers and for OpenAPI alike.
/// </summary>
public static class ExperimentsApi
{
    public static IEndpointRouteBuilder MapExperiments(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder v1 = app.MapGroup("/v1/experiments").WithTags("Experiments").ValidateRequests();

        v1.MapGet("/", ListExperiments).RequireAuthorization(Roles.CanRead);
        // 503s come from StorageUnavailableHandler, when the database cannot commit.
        v1.MapPut("/{id}", PutExperiment).RequireAuthorization(Roles.CanAdminister).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapGet("/{id}", GetExperiment).RequireAuthorization(Roles.CanRead);
        v1.MapDelete("/{id}", DeleteExperiment).RequireAuthorization(Roles.CanAdminister);
        v1.MapPost("/{id}/choose", Choose).RequireAuthorization(Roles.CanChoose).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapPost("/{id}/rewards", PostRewards).RequireAuthorization(Roles.CanReward).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapGet("/{id}/stats", GetStatistics).RequireAuthorization(Roles.CanRead);
        v1.MapPost("/{id}/conclude", Conclude).RequireAuthorization(Roles.CanAdminister).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapPost("/{id}/reopen", Reopen).RequireAuthorization(Roles.CanAdminister).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>A page of the list, from the database: no experiment is loaded and nothing is written.</summary>
    private static async Task<Results<Ok<ExperimentList>, ValidationProblem>> ListExperiments(
        string? status, string? search, string? limit, string? cursor, ExperimentPages pages, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null and not (ExperimentStatus.Running or ExperimentStatus.Concluded))
            errors["status"] = [$"status must be {ExperimentStatus.Running} or {ExperimentStatus.Concluded}."];
        if (search is { Length: > 64 }) errors["search"] = ["search must have at most 64 characters."];
        int size = ExperimentPages.DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size)
            || size is < 1 or > ExperimentPages.MaxLimit))
            errors["limit"] = [$"limit must be a whole number from 1 to {ExperimentPages.MaxLimit}."];
        string? after = null;
        if (cursor is not null && !ExperimentPages.TryReadCursor(cursor, out after!))
            errors["cursor"] = ["cursor must be a nextCursor this service answered."];
        if (errors.Count > 0) return Problems.Validation(errors);

        ListingPage page = await pages.ReadAsync(status, search, size, after, cancellationToken);
        return TypedResults.Ok(new ExperimentList(page.Experiments.Select(ExperimentListEntry.From).ToList(), page.Total, page.NextCursor));
    }

    private static async Task<Results<Created<ExperimentResource>, Ok<ExperimentResource>, ConflictProblem>> PutExperiment(
        string id, ExperimentRequest body, IGrainFactory grains)
    {
        PutOutcome outcome = await grains.GetGrain<IExperimentGrain>(id).PutAsync(body.ToDefinition());
        if (outcome.Conflict is { } conflict) return Problems.Conflict(conflict);
        ExperimentResource resource = ExperimentResource.From(outcome.Experiment!);
        return outcome.Created ? TypedResults.Created($"/v1/experiments/{id}", resource) : TypedResults.Ok(resource);
    }

    private static async Task<Results<Ok<ExperimentResource>, ExperimentNotFound>> GetExperiment(string id, IGrainFactory grains) =>
        await grains.GetGrain<IExperimentGrain>(id).GetAsync() is { } view
            ? TypedResults.Ok(ExperimentResource.From(view))
            : Problems.ExperimentNotFound(id);

    private static async Task<Results<NoContent, ExperimentNotFound>> DeleteExperiment(string id, IGrainFactory grains) =>
        await grains.GetGrain<IExperimentGrain>(id).DeleteAsync() ? TypedResults.NoContent() : Problems.ExperimentNotFound(id);

    private static async ValueTask<Results<Ok<Decision>, ExperimentNotFound>> Choose(string id, ChooseRequest? body, ChoiceCache choices) =>
        await choices.ChooseAsync(id, body?.UserId) is { } decision ? TypedResults.Ok(decision) : Problems.ExperimentNotFound(id);

    private static async Task<Results<Ok<RewardReceipt>, ValidationProblem, ExperimentNotFound>> PostRewards(
        string id, RewardBatch body, ChoiceCache choices, RewardForwarding forwarding, DecisionTokens tokens, TimeProvider time)
    {
        // Validated against this silo's copy of the experiment: no call to its grain, which may
        // live elsewhere, before the one that commits.
        ExperimentView? experiment = await choices.DescribeAsync(id);
        if (experiment is null) return Problems.ExperimentNotFound(id);
        RewardValidation.Result validated = RewardValidation.Validate(body, experiment, tokens, time.GetUtcNow());
        if (validated.Errors.Count > 0) return Problems.Validation(validated.Errors);

        RewardReceipt? receipt = await forwarding.SendAsync(id, experiment.Incarnation, validated.Records);
        return receipt is null ? Problems.ExperimentNotFound(id) : TypedResults.Ok(receipt);
    }

    /// <summary>The statistics now, or with <paramref name="at"/> as they were then (from the rollups).</summary>
    private static async Task<Results<Ok<ExperimentStatistics>, ValidationProblem, ExperimentNotFound>> GetStatistics(
        string id, string? at, IGrainFactory grains, DecisionOutbox outbox, Analytics.HistoryService history, CancellationToken cancellationToken)
    {
        if (at is not null)
        {
            if (!AnalyticsApi.TryParseTime(at, out DateTimeOffset moment))
                return Problems.Validation(new() { ["at"] = ["at must be a time in ISO 8601, such as 2026-12-01T10:00:00Z."] });
            return await history.StatisticsAtAsync(id, moment, cancellationToken) is { } past ? TypedResults.Ok(past) : Problems.ExperimentNotFound(id);
        }
        // This silo's choices of the last second first, so that a choice made here shows.
        await outbox.HandBackAsync(id);
        return await grains.GetGrain<IExperimentGrain>(id).GetStatisticsAsync() is { } statistics
            ? TypedResults.Ok(statistics)
            : Problems.ExperimentNotFound(id);
    }

    private static async Task<Results<Ok<ExperimentResource>, ValidationProblem, ExperimentNotFound>> Conclude(string id, ConcludeRequest body, IGrainFactory grains)
    {
        IExperimentGrain grain = grains.GetGrain<IExperimentGrain>(id);
        if (await grain.GetAsync() is not { } experiment) return Problems.ExperimentNotFound(id);
        if (!experiment.Definition.Arms.Contains(body.Winner!, StringComparer.Ordinal))
            return Problems.Validation(new() { ["winner"] = [$"Experiment '{id}' has no active arm '{(body.Winner!.Length > 70 ? body.Winner[..70] + "…" : body.Winner)}'."] });
        return await grain.ConcludeAsync(body.Winner!) is { } view ? TypedResults.Ok(ExperimentResource.From(view)) : Problems.ExperimentNotFound(id);
    }

    private static async Task<Results<Ok<ExperimentResource>, ExperimentNotFound>> Reopen(string id, IGrainFactory grains) =>
        await grains.GetGrain<IExperimentGrain>(id).ReopenAsync() is { } view ? TypedResults.Ok(ExperimentResource.From(view)) : Problems.ExperimentNotFound(id);
}
