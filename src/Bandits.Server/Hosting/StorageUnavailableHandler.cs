using Bandits.Abstractions;
using Microsoft.AspNetCore.Diagnostics;

namespace Bandits.Server.Hosting;

/// <summary>A write the database could not commit is a 503 with Retry-After: nothing was acknowledged.</summary>
public sealed class StorageUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StorageUnavailableException unavailable) return false;
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = 503, Title = "Storage unavailable", Detail = unavailable.Message },
        });
    }
}
