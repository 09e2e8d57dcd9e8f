using System.Net;
using Bandits.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bandits.Server.Tests;

/// <summary>
/// Every route the server maps, the framework's own included, answers its errors as
/// application/problem+json: each endpoint is called with every method, with junk route values,
/// with and without a key, and every 4xx or 5xx it sends is checked.
/// </summary>
public sealed class EveryErrorIsAProblemTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch];

    [Fact]
    public async Task NoRouteAnswersAnErrorInAnyOtherFormat()
    {
        string[] paths = [.. fixture.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => Path(e.RoutePattern.RawText!))
            .Where(p => !p.StartsWith("/_", StringComparison.Ordinal)) // Blazor's own framework files and hub
            .Concat(["/openapi/v2.json", "/v1/nothing-here"]) // once the framework's text/plain 404
            .Distinct()];
        Assert.Contains("/v1/experiments/zz-id/choose", paths);

        var offenders = new List<string>();
        foreach (string path in paths)
        foreach (string method in Methods)
        foreach (string? key in new[] { TestKeys.Admin, null })
        {
            using HttpClient client = fixture.Server.Client(key);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT" or "PATCH") request.Content = Http.Json("{}");
            using HttpResponseMessage response = await client.SendAsync(request);
            string? type = response.Content.Headers.ContentType?.MediaType;
            if ((int)response.StatusCode >= 400 && type != "application/problem+json")
                offenders.Add($"{method} {path} ({(key is null ? "no key" : "admin")}): {(int)response.StatusCode} {type ?? "no body"}");
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public async Task AnUnknownOpenApiDocumentIsA404Problem()
    {
        await Problem.Assert(await fixture.Server.Client(key: null).GetAsync("/openapi/v2.json"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Server.Client(key: null).GetAsync("/openapi/v1.json")).StatusCode);
    }

    /// <summary>A request path for a route pattern: parameters get values no experiment or document has.</summary>
    private static string Path(string pattern)
    {
        string path = "/" + pattern.TrimStart('/');
        while (path.IndexOf('{') is int open and >= 0)
        {
            int close = path.IndexOf('}', open);
            string name = path[(open + 1)..close].TrimStart('*').Split(':', '=', '?')[0];
            string value = name == "documentName" ? "v2" : "zz-" + name.ToLowerInvariant();
            path = path[..open] + value + path[(close + 1)..];
        }
        return path;
    }
}
