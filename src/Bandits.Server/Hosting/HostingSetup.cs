using Bandits.Grains;
using Bandits.Server.Api;
using Bandits.Server.Auth;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Prometheus;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Formatting.Compact;

namespace Bandits.Server.Hosting;

/// <summary>Logging, errors, health, metrics and OpenAPI: the operational surface of the host.</summary>
public static class HostingSetup
{
    /// <summary>Largest request body: 1,000 reward events with long decision ids fit in a tenth of it.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Where HTTP listens unless --urls, Urls or ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    private static readonly HttpMethodMetadata ReadOnly = new([HttpMethods.Get, HttpMethods.Head]);

    public static WebApplicationBuilder AddBanditsHosting(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])) builder.WebHost.UseUrls(DefaultUrl);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        bool json = builder.Configuration.GetValue("Logging:Json", false);
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).Enrich.FromLogContext();
            if (json) logger.WriteTo.Console(new CompactJsonFormatter());
            else logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        });
        builder.Services.ConfigureHttpJsonOptions(o => Serialization.Configure(o.SerializerOptions));
        // Before AddProblemDetails: the first writer that accepts a problem writes it.
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        builder.Services.AddProblemDetails();
        // Bodies that cannot be bound throw, so that BadRequestBodyHandler answers them in our words.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestBodyHandler>();
        builder.Services.AddExceptionHandler<StorageUnavailableHandler>();
        builder.Services.AddHealthChecks()
            .AddCheck<SiloHealthCheck>("silo", tags: ["ready"])
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer<RewardBatchSchema>());
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    public static WebApplication UseBanditsHosting(this WebApplication app)
    {
        // Unhandled exceptions: logged, answered 500 with a problem and no internals.
        app.UseExceptionHandler();
        // 401, 403, 404, 405, 415 … without a body get an RFC 9457 problem body.
        app.UseStatusCodePages();
        // Per-route request counts and durations cost about a tenth of a small request's CPU
        // (measured: docs/benchmarks.md); they are on request, a load balancer counts requests too.
        if (app.Configuration.GetValue("Metrics:HttpRequests", false)) app.UseHttpMetrics();
        // prometheus-net's EventCounter listener switches on ASP.NET Core's per-request events; the
        // runtime's own meters (exported below) carry the same figures without that cost.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true });
        // The service's own meter and the observable instruments of the others (read only at a
        // scrape, such as Orleans' activation count): forwarding every measurement of Orleans
        // and ASP.NET Core cost about 5% of the CPU of a choice (Orleans measures every message).
        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = instrument =>
            instrument.Meter.Name == ExperimentMetrics.MeterName
            || (instrument.IsObservable && !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal))); // not the runtime's internal QUIC diagnostics
        // prometheus-net starts listening to .NET meters at its first scrape, losing what was
        // measured before; a collection at start-up makes it listen from the beginning.
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
        app.UseAuthenticationFirst("/v1");
        // Explicitly after the authentication above: without this call routing would run first.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        // Probes and scrapes read; any other method is a 405 problem.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync }).WithMetadata(ReadOnly);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync })
            .WithMetadata(ReadOnly);
        app.MapMetrics("/metrics").WithMetadata(ReadOnly);
        // The one document by name: a pattern with {documentName} lets the framework answer an
        // unknown name itself, with a text/plain 404 instead of a problem.
        app.MapOpenApi("/openapi/v1.json");
        app.MapScalarApiReference("/docs");
        return app;
    }
}
