using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bandits.Server.Hosting;

/// <summary>
/// What the health endpoints answer: "Healthy" in plain text, or a 503 problem whose detail gives
/// each failing check's reason, so that an operator reads why a silo left the load balancer.
/// </summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Unhealthy)
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(report.Status.ToString());
        }
        IProblemDetailsService problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        var problem = new ProblemDetails
        {
            Status = context.Response.StatusCode,
            Title = "Not ready",
            Detail = string.Join(" ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Value.Description)),
        };
        problem.Extensions["checks"] = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString());
        return problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }
}
