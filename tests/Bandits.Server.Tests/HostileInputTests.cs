using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Bandits.Server.Tests;

/// <summary>
/// A few thousand malformed and extreme requests from a fixed seed (<see cref="HostileRequests"/>):
/// none may be a 5xx, every error must be a problem with a title and without internals, and
/// afterwards every experiment the test created must still answer with finite numbers.
/// </summary>
public abstract class HostileInputTests<TFixture>(TFixture fixture, ITestOutputHelper output) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private const int Seed = 20261203;
    private const int Requests = 5000;

    [Fact]
    public async Task NoHostileRequestBreaksTheServerOrAnExperiment()
    {
        HttpClient admin = fixture.Server.Client();
        var experiments = new ConcurrentBag<string>();
        var decisionIds = new List<string>();
        object[] definitions =
        [
            new { arms = new[] { "a", "b", "c" } },
            new { arms = new[] { "a", "b" }, policy = "ucb1", defaultReward = 0, rewardWindowSeconds = 1 },
            new { arms = new[] { "a", "b" }, policy = "kl-ucb" },
            new { arms = new[] { "a", "b", "c" }, policy = "epsilon-greedy", discount = 0.9 },
            new { arms = new[] { "big", "small" }, rewardKind = "continuous" },
            new { arms = new[] { "big", "small" }, rewardKind = "continuous", policy = "ucb1", defaultReward = -1e12 },
        ];
        foreach (object definition in definitions)
        {
            string id = Http.NewId("hostile");
            (await admin.PutExperiment(id, definition)).EnsureSuccessStatusCode();
            experiments.Add(id);
            for (int i = 0; i < 5; i++) decisionIds.Add((string)(await admin.Choose(id))["decisionId"]!);
        }

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        HostileRequest[] requests = new HostileRequests(Seed, [.. experiments], decisionIds).Take(Requests).ToArray();
        using HttpClient client = fixture.Server.Client(key: null);
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, cancellationToken) =>
        {
            using HttpResponseMessage response = await client.SendAsync(request.ToMessage(), cancellationToken);
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            string? problem = Check(request, response, body);
            if (problem is not null) failures.Enqueue($"{problem}\n  request: {request}\n  answer: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
            if (response.StatusCode == HttpStatusCode.Created) experiments.Add(request.Path.Split('/')[3]);
        });
        output.WriteLine($"answers by status: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {Requests} answers (seed {Seed}) broke the contract; the first:\n{string.Join("\n", failures.Take(5))}");

        foreach (string id in experiments.Distinct())
        {
            HttpResponseMessage choice = await admin.PostAsync($"/v1/experiments/{id}/choose", null);
            Assert.True(choice.StatusCode == HttpStatusCode.OK, $"choose on {id}: {(int)choice.StatusCode} {await choice.Content.ReadAsStringAsync()}");
            Numbers.AssertFinite(await choice.Body());
            Numbers.AssertFinite(await admin.Stats(id));
            HttpResponseMessage read = await admin.GetAsync($"/v1/experiments/{id}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Numbers.AssertFinite(await read.Body());
        }
        HttpResponseMessage list = await admin.GetAsync("/v1/experiments");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Numbers.AssertFinite(await list.Body());
    }

    /// <summary>What is wrong with this answer, or null.</summary>
    private static string? Check(HostileRequest request, HttpResponseMessage response, string body)
    {
        int status = (int)response.StatusCode;
        if (status >= 500) return "a server error";
        bool api = request.Path.StartsWith("/v1", StringComparison.Ordinal);
        if (api && Problem.Internals.FirstOrDefault(body.Contains) is { } secret) return $"'{secret}' in the answer";
        if (request.Method == "HEAD") return null;
        if (status >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return "an error that is not a problem";
            try
            {
                if (string.IsNullOrEmpty((string?)JsonNode.Parse(body)?["title"])) return "a problem without a title";
            }
            catch (JsonException)
            {
                return "a problem that is not JSON";
            }
        }
        else if (api && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            try
            {
                Numbers.AssertFinite(JsonNode.Parse(body));
            }
            catch (Exception e) when (e is JsonException or Xunit.Sdk.XunitException)
            {
                return "an answer with a number that is not finite";
            }
        }
        return null;
    }
}

public sealed class SqliteHostileInputTests(SqliteServerFixture fixture, ITestOutputHelper output) : HostileInputTests<SqliteServerFixture>(fixture, output);
