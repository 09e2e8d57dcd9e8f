using System.Data.Common;
using Bandits.Abstractions;
using Microsoft.AspNetCore.Diagnostics;

namespace Bandits.Server.Hosting;

/// <summary>
/// A database that cannot be reached or cannot commit is a 503 with Retry-After: nothing was
/// acknowledged and the client may retry. This covers the grains' own signal, raw driver
/// errors (an experiment that cannot load, a listing that cannot be read), and a silo that
/// died while holding the experiment (the call moves on once the cluster notices).
/// </summary>
public sealed class StorageUnavailableHandler(IProblemDetailsService problems, ILogger<StorageUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsStorageFailure(exception)) return false;
        logger.LogWarning(exception, "Storage unavailable for {Method} {Path}", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Storage unavailable",
                Detail = exception is StorageUnavailableException ? exception.Message
                    : exception is DbException ? "The database is unreachable; nothing was acknowledged. Retry."
                    : "The silo holding the experiment did not answer in time; the outcome is unknown. Retry: a reward with a decisionId is never counted twice.",
            },
        });
    }

    private static bool IsStorageFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
            if (exception is StorageUnavailableException or DbException or TimeoutException
                or Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException) return true;
        return false;
    }
}
