using Bandits.Abstractions;
using Bandits.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bandits.Server.Api;

/// <summary>
/// The benchmarks' yardstick: a choose-shaped constant answered by the same host, middleware
/// and authorization as the real choose, without a grain. Mapped only when
/// <c>Benchmark:Baseline=true</c>; never in a normal deployment.
/// </summary>
public static class BaselineApi
{
    private static readonly Decision Constant = new("baseline", "AQAAAAAAAAAAAAAAAgAAAaIXoLx7vSI4-fKDvcoM8itiw32AEQ", "control", 0.25);

    public static WebApplication MapBaseline(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Benchmark:Baseline", false)) return app;
        app.MapPost("/v1/baseline/choose", Choose).RequireAuthorization(Roles.CanChoose).ExcludeFromDescription();
        return app;
    }

    private static Ok<Decision> Choose() => TypedResults.Ok(Constant);
}
