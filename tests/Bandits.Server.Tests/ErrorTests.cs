using System.Net;
using System.Text.Json.Nodes;

namespace Bandits.Server.Tests;

/// <summary>Every error is an RFC 9457 problem, and bad input never reaches the experiment.</summary>
public abstract class ErrorTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private HttpClient Admin => fixture.Server.Client();

    private static Task<JsonNode> AssertProblem(HttpResponseMessage response, HttpStatusCode status) => Problem.Assert(response, status);

    private async Task<string> Experiment(object? body = null)
    {
        string id = Http.NewId();
        (await Admin.PutExperiment(id, body ?? new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();
        return id;
    }

    public static TheoryData<string, string> InvalidDefinitions() => new()
    {
        { """{ "arms": [] }""", "arms" },
        { """{ "policy": "thompson" }""", "arms" },
        { """{ "arms": ["a", "a"] }""", "arms" },
        { """{ "arms": ["has space"] }""", "arms" },
        { """{ "arms": ["a"], "policy": "greedy" }""", "policy" },
        { """{ "arms": ["a"], "policy": "kl-ucb", "rewardKind": "continuous" }""", "policy" },
        { """{ "arms": ["a"], "rewardKind": "money" }""", "rewardKind" },
        { """{ "arms": ["a"], "epsilon": 1.5 }""", "epsilon" },
        { """{ "arms": ["a"], "discount": 0 }""", "discount" },
        { """{ "arms": ["a"], "defaultReward": 2 }""", "defaultReward" },
        { """{ "arms": ["a"], "rewardWindowSeconds": 0 }""", "rewardWindowSeconds" },
        { """{ "arms": ["a"], "epsilon": "0.1" }""", "epsilon" },
    };

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public async Task AnInvalidDefinitionIsA400NamingTheField(string body, string field)
    {
        string id = Http.NewId();
        JsonNode problem = await AssertProblem(await Admin.PutAsync($"/v1/experiments/{id}", Http.Json(body)), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
        await AssertProblem(await Admin.GetAsync($"/v1/experiments/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnInvalidIdIsA400()
    {
        JsonNode problem = await AssertProblem(await Admin.PutExperiment("bad%20id", new { arms = new[] { "a" } }), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["id"]);
    }

    public static TheoryData<string, string> InvalidRewards() => new()
    {
        { """{ "arm": "a", "reward": 1.5 }""", "reward" },
        { """{ "arm": "a", "reward": -0.1 }""", "reward" },
        { """{ "arm": "a" }""", "reward" },
        { """{ "arm": "a", "reward": "NaN" }""", "reward" },
        { """{ "arm": "a", "reward": 1e999 }""", "reward" },
        { """{ "arm": "zzz", "reward": 1 }""", "arm" },
        { """{ "reward": 1 }""", "decisionId" },
        { """{ "decisionId": "forged", "reward": 1 }""", "decisionId" },
        { """[{ "arm": "a", "reward": 1 }, { "arm": "a", "reward": 7 }]""", "[1].reward" },
        { """[{ "arm": "a", "reward": 7 }]""", "[0].reward" },
        { """{ "arm": "a", "reward": 1 """, "body" },
        { """[]""", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidRewards))]
    public async Task AnInvalidRewardIsA400AndNothingOfTheRequestIsApplied(string body, string field)
    {
        string id = await Experiment();
        JsonNode problem = await AssertProblem(await Admin.PostAsync($"/v1/experiments/{id}/rewards", Http.Json(body)), HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]!.AsObject().Any(e => e.Key.Contains(field, StringComparison.OrdinalIgnoreCase)),
            $"expected an error on '{field}': {problem.ToJsonString()}");
        Assert.Equal(0, (long)(await Admin.Stats(id))["totalRewards"]!);
    }

    [Fact]
    public async Task ADecisionOfAnotherExperimentIsRejected()
    {
        string first = await Experiment(), second = await Experiment();
        string decisionId = (string)(await Admin.Choose(first))["decisionId"]!;
        JsonNode problem = await AssertProblem(
            await Admin.PostAsync($"/v1/experiments/{second}/rewards", Http.Json(new { decisionId, reward = 1 })), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["decisionId"]);
    }

    /// <summary>An issued id padded, re-spelt or lengthened is a 400 naming it (padding once answered 500), and rewards nothing.</summary>
    [Theory]
    [InlineData("{0}=")]
    [InlineData("{0}==")]
    [InlineData("{0} ")]
    [InlineData("{0}A")]
    public async Task AnIssuedDecisionIdSpeltOtherwiseIsA400(string spelling)
    {
        string id = await Experiment();
        string decisionId = string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, (string)(await Admin.Choose(id))["decisionId"]!);
        JsonNode problem = await AssertProblem(
            await Admin.PostAsync($"/v1/experiments/{id}/rewards", Http.Json(new { decisionId, reward = 1 })), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["decisionId"]);
        Assert.Equal(0, (long)(await Admin.Stats(id))["totalRewards"]!);
    }

    [Fact]
    public async Task ADecisionOfADeletedExperimentDoesNotRewardItsSuccessor()
    {
        string id = await Experiment();
        string decisionId = (string)(await Admin.Choose(id))["decisionId"]!;
        await Admin.DeleteAsync($"/v1/experiments/{id}");
        (await Admin.PutExperiment(id, new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();

        await AssertProblem(await Admin.PostAsync($"/v1/experiments/{id}/rewards", Http.Json(new { decisionId, reward = 1 })), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task MoreThanAThousandEventsIsA400()
    {
        string id = await Experiment();
        var events = Enumerable.Range(0, 1001).Select(_ => new { arm = "a", reward = 1 }).ToArray();
        await AssertProblem(await Admin.PostAsync($"/v1/experiments/{id}/rewards", Http.Json(events)), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnOversizedBodyIsA413()
    {
        string id = await Experiment();
        string huge = "[" + string.Join(",", Enumerable.Repeat("""{ "arm": "a", "reward": 1, "padding": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }""", 20_000)) + "]";
        // Expect: 100-continue, as a client sending a large body should: without it, the server may
        // close the connection after its 413 while the body is still being sent (a broken pipe).
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/experiments/{id}/rewards") { Content = Http.Json(huge) };
        request.Headers.ExpectContinue = true;
        await AssertProblem(await Admin.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsA415()
    {
        string id = await Experiment();
        var content = new StringContent("arm=a&reward=1", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        await AssertProblem(await Admin.PostAsync($"/v1/experiments/{id}/rewards", content), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task UnknownRoutesAndMethodsAreProblems()
    {
        await AssertProblem(await Admin.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound);
        await AssertProblem(await Admin.PatchAsync("/v1/experiments/x", Http.Json("{}")), HttpStatusCode.MethodNotAllowed);
        await AssertProblem(await Admin.GetAsync($"/v1/experiments/{Http.NewId()}"), HttpStatusCode.NotFound);
        await AssertProblem(await Admin.PostAsync($"/v1/experiments/{Http.NewId()}/choose", null), HttpStatusCode.NotFound);
    }

    /// <summary>No key or an unknown key is 401; a known key without the role is 403.</summary>
    [Theory]
    [InlineData(null, "GET", "stats", HttpStatusCode.Unauthorized)]
    [InlineData("not-a-key", "GET", "stats", HttpStatusCode.Unauthorized)]
    [InlineData(TestKeys.App, "POST", "choose", HttpStatusCode.OK)]
    [InlineData(TestKeys.App, "POST", "rewards", HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.App, "GET", "stats", HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.App, "PUT", "", HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.Producer, "POST", "rewards", HttpStatusCode.OK)]
    [InlineData(TestKeys.Producer, "POST", "choose", HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.Producer, "GET", "", HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.Analyst, "GET", "stats", HttpStatusCode.OK)]
    [InlineData(TestKeys.Analyst, "GET", "", HttpStatusCode.OK)]
    [InlineData(TestKeys.Analyst, "POST", "choose", HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.Analyst, "DELETE", "", HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.Admin, "DELETE", "", HttpStatusCode.NoContent)]
    [InlineData(TestKeys.Analyst, "GET", "history", HttpStatusCode.OK)]
    [InlineData(TestKeys.Producer, "GET", "history", HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.App, "GET", "stats/stream", HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.Analyst, "POST", "conclude", HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.Analyst, "POST", "reopen", HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.Admin, "POST", "conclude", HttpStatusCode.OK)]
    [InlineData(TestKeys.Admin, "POST", "reopen", HttpStatusCode.OK)]
    public async Task RolesGrantExactlyTheirRoutes(string? key, string method, string action, HttpStatusCode expected)
    {
        string id = await Experiment();
        string path = action.Length == 0 ? $"/v1/experiments/{id}" : $"/v1/experiments/{id}/{action}";
        var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = action == "rewards" ? Http.Json(new { arm = "a", reward = 1 })
                : action == "conclude" ? Http.Json(new { winner = "a" })
                : method == "PUT" ? Http.Json(new { arms = new[] { "a" } }) : null,
        };
        HttpResponseMessage response = await fixture.Server.Client(key).SendAsync(request);

        if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) await AssertProblem(response, expected);
        else Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task OperationsEndpointsNeedNoKey()
    {
        string id = await Experiment();
        await Admin.Choose(id);
        await Admin.Reward(id, new { arm = "a", reward = 1 });
        HttpClient anonymous = fixture.Server.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        // Decisions are counted when their experiment takes them from the silo's choosers (within a second).
        string metrics = "";
        await Eventually.UntilAsync(async () => (metrics = await anonymous.GetStringAsync("/metrics")).Contains("bandits_decisions "), "the decision count in the metrics");
        Assert.Contains("system_runtime_dotnet_gc_collections", metrics);
        Assert.DoesNotContain("http_requests_received_total", metrics); // on request only: StartupTests
        Assert.Contains("bandits_decisions ", metrics);
        Assert.Contains("bandits_commit_duration", metrics);
        JsonNode openApi = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        Assert.NotNull(openApi["paths"]!["/v1/experiments/{id}/choose"]);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/docs")).StatusCode);
    }
}

public sealed class SqliteErrorTests(SqliteServerFixture fixture) : ErrorTests<SqliteServerFixture>(fixture);

public sealed class PostgresErrorTests(PostgresServerFixture fixture) : ErrorTests<PostgresServerFixture>(fixture);
