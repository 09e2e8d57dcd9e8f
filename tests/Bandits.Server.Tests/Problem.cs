using System.Net;
using System.Text.Json.Nodes;

namespace Bandits.Server.Tests;

/// <summary>Assertions on RFC 9457 problems, the shape of every error of the contract.</summary>
public static class Problem
{
    /// <summary>Strings that would reveal internals: .NET type names, the JSON reader's positions.</summary>
    public static readonly string[] Internals = ["System.", "Bandits.", "Microsoft.", "`1", "LineNumber", "BytePosition", "Exception", "   at "];

    /// <summary>Asserts the response is a problem of this status with a title, and returns it.</summary>
    public static async Task<JsonNode> Assert(HttpResponseMessage response, HttpStatusCode status)
    {
        Xunit.Assert.Equal(status, response.StatusCode);
        Xunit.Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonNode problem = await response.Body();
        Xunit.Assert.Equal((int)status, (int)problem["status"]!);
        Xunit.Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        AssertNoInternals(problem.ToJsonString());
        return problem;
    }

    public static void AssertNoInternals(string body)
    {
        foreach (string secret in Internals)
            Xunit.Assert.False(body.Contains(secret, StringComparison.Ordinal), $"'{secret}' in: {body}");
    }
}
