using System.Text.Json;
using Bandits.Abstractions;
using Bandits.Grains.Decisions;
using Bandits.Grains.Serving;
using Bandits.Grains.Storage;
using Bandits.Server.Auth;

namespace Bandits.Server.Api;

/// <summary>The /v1/experiments routes of the HTTP contract (docs/api.md).</summary>
public static class ExperimentsApi
{
    public static IEndpointRouteBuilder MapExperiments(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder v1 = app.MapGroup("/v1/experiments").WithTags("Experiments");

        v1.MapGet("/", ListExperiments).RequireAuthorization(Roles.CanRead)
            .Produces<ExperimentList>();
        v1.MapPut("/{id}", PutExperiment).RequireAuthorization(Roles.CanAdminister)
            .Accepts<ExperimentRequest>("application/json")
            .Produces<ExperimentResource>(StatusCodes.Status200OK).Produces<ExperimentResource>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        v1.MapGet("/{id}", GetExperiment).RequireAuthorization(Roles.CanRead)
            .Produces<ExperimentResource>().ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapDelete("/{id}", DeleteExperiment).RequireAuthorization(Roles.CanAdminister)
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapPost("/{id}/choose", Choose).RequireAuthorization(Roles.CanChoose)
            .Accepts<ChooseRequest>("application/json")
            .Produces<Decision>().ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapPost("/{id}/rewards", PostRewards).RequireAuthorization(Roles.CanReward)
            .Accepts<RewardEvent[]>("application/json")
            .Produces<RewardReceipt>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapGet("/{id}/stats", GetStatistics).RequireAuthorization(Roles.CanRead)
            .Produces<ExperimentStatistics>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListExperiments(IGrainFactory grains, IExperimentLog log, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> ids = await log.ListExperimentsAsync(cancellationToken);
        ExperimentView?[] views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IExperimentGrain>(id).GetAsync()));
        return TypedResults.Ok(new ExperimentList(views.OfType<ExperimentView>().Select(ExperimentResource.From).ToList()));
    }

    private static async Task<IResult> PutExperiment(string id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!ExperimentValidation.IsValidId(id)) return Problems.Validation(new() { ["id"] = [ExperimentValidation.IdError(id)] });
        (JsonElement? body, IResult? error) = await JsonBody.ReadAsync(request, optional: false, cancellationToken);
        if (error is not null) return error;
        (ExperimentRequest? parsed, error) = JsonBody.Bind<ExperimentRequest>(body!.Value);
        if (error is not null) return error;
        if (parsed is null) return Problems.Validation(new() { ["body"] = ["The body must be a JSON object."] });
        (ExperimentDefinition? definition, Dictionary<string, string[]> errors) = ExperimentValidation.Validate(parsed);
        if (definition is null) return Problems.Validation(errors);

        PutOutcome outcome = await grains.GetGrain<IExperimentGrain>(id).PutAsync(definition);
        if (outcome.Conflict is { } conflict) return Problems.Conflict(conflict);
        ExperimentResource resource = ExperimentResource.From(outcome.Experiment!);
        return outcome.Created ? TypedResults.Created($"/v1/experiments/{id}", resource) : TypedResults.Ok(resource);
    }

    private static async Task<IResult> GetExperiment(string id, IGrainFactory grains)
    {
        if (!ExperimentValidation.IsValidId(id)) return Problems.ExperimentNotFound(id);
        ExperimentView? view = await grains.GetGrain<IExperimentGrain>(id).GetAsync();
        return view is null ? Problems.ExperimentNotFound(id) : TypedResults.Ok(ExperimentResource.From(view));
    }

    private static async Task<IResult> DeleteExperiment(string id, IGrainFactory grains)
    {
        if (!ExperimentValidation.IsValidId(id)) return Problems.ExperimentNotFound(id);
        return await grains.GetGrain<IExperimentGrain>(id).DeleteAsync() ? TypedResults.NoContent() : Problems.ExperimentNotFound(id);
    }

    private static async Task<IResult> Choose(string id, HttpRequest request, ChoiceCache choices, CancellationToken cancellationToken)
    {
        if (!ExperimentValidation.IsValidId(id)) return Problems.ExperimentNotFound(id);
        (JsonElement? body, IResult? error) = await JsonBody.ReadAsync(request, optional: true, cancellationToken);
        if (error is not null) return error;
        string? userId = null;
        if (body is { } json)
        {
            (ChooseRequest? parsed, error) = JsonBody.Bind<ChooseRequest>(json);
            if (error is not null) return error;
            userId = parsed?.UserId;
            if (userId is { Length: 0 or > 256 }) return Problems.Validation(new() { ["userId"] = ["userId must have 1 to 256 characters."] });
        }
        Decision? decision = await choices.ChooseAsync(id, userId);
        return decision is null ? Problems.ExperimentNotFound(id) : TypedResults.Ok(decision);
    }

    private static async Task<IResult> PostRewards(
        string id, HttpRequest request, ChoiceCache choices, RewardForwarding forwarding, DecisionTokens tokens, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!ExperimentValidation.IsValidId(id)) return Problems.ExperimentNotFound(id);
        (JsonElement? body, IResult? error) = await JsonBody.ReadAsync(request, optional: false, cancellationToken);
        if (error is not null) return error;
        bool single = body!.Value.ValueKind != JsonValueKind.Array;
        RewardEvent?[]? events;
        if (!single) (events, error) = JsonBody.Bind<RewardEvent?[]>(body.Value);
        else
        {
            (RewardEvent? one, error) = JsonBody.Bind<RewardEvent>(body.Value);
            events = [one];
        }
        if (error is not null) return error;

        // Validated against this silo's copy of the experiment: no call to its grain, which may
        // live elsewhere, before the one that commits.
        ExperimentView? experiment = await choices.DescribeAsync(id);
        if (experiment is null) return Problems.ExperimentNotFound(id);
        RewardValidation.Result validated = RewardValidation.Validate(events!, single, experiment, tokens, time.GetUtcNow());
        if (validated.Errors.Count > 0) return Problems.Validation(validated.Errors);

        RewardReceipt? receipt = validated.Records.Count == 0
            ? new RewardReceipt(0, 0, 0)
            : await forwarding.SendAsync(id, experiment.Incarnation, validated.Records);
        if (receipt is null) return Problems.ExperimentNotFound(id);
        return TypedResults.Ok(receipt with { Expired = receipt.Expired + validated.Expired });
    }

    private static async Task<IResult> GetStatistics(string id, IGrainFactory grains)
    {
        if (!ExperimentValidation.IsValidId(id)) return Problems.ExperimentNotFound(id);
        ExperimentStatistics? statistics = await grains.GetGrain<IExperimentGrain>(id).GetStatisticsAsync();
        return statistics is null ? Problems.ExperimentNotFound(id) : TypedResults.Ok(statistics);
    }
}
