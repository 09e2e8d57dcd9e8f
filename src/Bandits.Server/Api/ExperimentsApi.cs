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
        return app;
    }

    private static async Task<Ok<ExperimentList>> ListExperiments(IGrainFactory grains, IExperimentLog log, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> ids = await log.ListExperimentsAsync(cancellationToken);
        ExperimentView?[] views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IExperimentGrain>(id).GetAsync()));
        return TypedResults.Ok(new ExperimentList(views.OfType<ExperimentView>().Select(ExperimentResource.From).ToList()));
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

        RewardReceipt? receipt = validated.Records.Count == 0
            ? new RewardReceipt(0, 0, 0)
            : await forwarding.SendAsync(id, experiment.Incarnation, validated.Records);
        if (receipt is null) return Problems.ExperimentNotFound(id);
        return TypedResults.Ok(receipt with { Expired = receipt.Expired + validated.Expired });
    }

    private static async Task<Results<Ok<ExperimentStatistics>, ExperimentNotFound>> GetStatistics(string id, IGrainFactory grains) =>
        await grains.GetGrain<IExperimentGrain>(id).GetStatisticsAsync() is { } statistics
            ? TypedResults.Ok(statistics)
            : Problems.ExperimentNotFound(id);
}
