using System.Diagnostics;
using Bandits.Server.Api;
using Microsoft.AspNetCore.Mvc;

namespace Bandits.Server.Hosting;

/// <summary>
/// Writes every problem as application/problem+json, whatever the request's Accept header says.
/// The framework's own writer declines when Accept excludes JSON (text/html, application/xml),
/// and the client then gets a text/plain or empty error; the contract promises a problem always.
/// </summary>
public sealed class ProblemJsonWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        HttpContext http = context.HttpContext;
        ProblemDetails problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        // Fills the RFC 9110 type and title of the status, as the framework's writer does (its table is internal).
        _ = TypedResults.Problem(problem);
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), Serialization.Options, "application/problem+json"));
    }
}
