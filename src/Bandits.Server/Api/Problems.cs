using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Bandits.Server.Api;

/// <summary>RFC 9457 problem results of the handlers.</summary>
public static class Problems
{
    public static ValidationProblem Validation(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is invalid; nothing was applied.");

    public static ExperimentNotFound ExperimentNotFound(string id) => new(id);

    public static ConflictProblem Conflict(string detail) => new(detail);
}

/// <summary>
/// A problem of one status that declares itself to OpenAPI (a <see cref="ProblemHttpResult"/> cannot:
/// its status is known only at run time), written as application/problem+json.
/// </summary>
public abstract class StatusProblem(int status, string title, string detail) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;

    public string Detail => detail;

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(httpContext);

    protected static void Declare(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
}

/// <summary>404: there is no experiment of this id.</summary>
public sealed class ExperimentNotFound(string id)
    : StatusProblem(StatusCodes.Status404NotFound, "Experiment not found", $"There is no experiment '{id}'."), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status404NotFound);
}

/// <summary>409: the change conflicts with the existing experiment.</summary>
public sealed class ConflictProblem(string detail)
    : StatusProblem(StatusCodes.Status409Conflict, "Conflict", detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status409Conflict);
}
