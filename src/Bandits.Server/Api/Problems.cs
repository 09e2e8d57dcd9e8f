using Microsoft.AspNetCore.Http.HttpResults;

namespace Bandits.Server.Api;

/// <summary>RFC 9457 problem results used by the handlers.</summary>
public static class Problems
{
    public static ValidationProblem Validation(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is invalid; nothing was applied.");

    public static ProblemHttpResult ExperimentNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Experiment not found", detail: $"There is no experiment '{id}'.");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);
}
