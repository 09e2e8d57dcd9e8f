using Bandits.Abstractions;
using Bandits.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bandits.Server.Api;

/// <summary>
/// The benchmarks' yardstick: a choose-shaped constant answered by the same host, middleware
/// and authorization as the real choose, without a grain; and the live managed heap for the
/// memory figures. Mapped only when <c>Benchmark:Baseline=true</c>; never in a normal deployment.
/// </summary>
public static class BaselineApi
{
    private static readonly Decision Constant = new("baseline", "AQAAAAAAAAAAAAAAAgAAAaIXoLx7vSI4-fKDvcoM8itiw32AEQ", "control", 0.25);

    public static WebApplication MapBaseline(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Benchmark:Baseline", false)) return app;
        app.MapPost("/v1/baseline/choose", Choose).RequireAuthorization(Roles.CanChoose).ExcludeFromDescription();
        app.MapPost("/v1/baseline/heap", LiveHeap).RequireAuthorization(Roles.CanAdminister).ExcludeFromDescription();
        return app;
    }

    /// <summary>Bytes of live managed objects after a full, compacting collection: what active experiments really hold.</summary>
    private static Ok<long> LiveHeap()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return TypedResults.Ok(GC.GetTotalMemory(forceFullCollection: true));
    }

    private static Ok<Decision> Choose() => TypedResults.Ok(Constant);
}
