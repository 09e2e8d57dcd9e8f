using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Bandits.Server.Tests;

/// <summary>What a hostile client once broke, each reproduced: extreme numbers, broken framing, unusual Accept headers, no key.</summary>
public abstract class HostileClientTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private HttpClient Admin => fixture.Server.Client();

    private async Task<string> ContinuousExperiment()
    {
        string id = Http.NewId("cont");
        (await Admin.PutExperiment(id, new { arms = new[] { "big", "small" }, rewardKind = "continuous" })).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>Every read of the experiment answers 200 with finite numbers, and so does the list.</summary>
    private async Task AssertHealthy(string id)
    {
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/experiments/{id}/choose", null)).StatusCode);
        foreach (string path in new[] { $"/v1/experiments/{id}/stats", $"/v1/experiments/{id}", "/v1/experiments" })
        {
            HttpResponseMessage response = await Admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Numbers.AssertFinite(await response.Body());
        }
    }

    [Fact]
    public async Task AContinuousRewardBeyondTheBoundIsA400AndTheExperimentStaysHealthy()
    {
        string id = await ContinuousExperiment();
        JsonNode problem = await Problem.Assert(
            await Admin.PostAsync($"/v1/experiments/{id}/rewards", Http.Json("""{"arm":"big","reward":1e200}""")), HttpStatusCode.BadRequest);
        Assert.Contains("1e12", (string)problem["errors"]!["reward"]![0]!);

        // The bound itself is a valid reward.
        await Admin.Reward(id, new[] { new { arm = "big", reward = 1e12 }, new { arm = "small", reward = -1e12 } });
        await AssertHealthy(id);
        Assert.Equal(2, (long)(await Admin.Stats(id))["totalRewards"]!);
    }

    [Theory]
    [InlineData("1e200")]
    [InlineData("1e309")]
    [InlineData("-1e309")]
    public async Task AnExtremeDefaultRewardIsA400AndChangesNothing(string value)
    {
        string id = Http.NewId("cont");
        JsonNode problem = await Problem.Assert(await Admin.PutAsync($"/v1/experiments/{id}",
            Http.Json($$"""{"arms":["big","small"],"rewardKind":"continuous","defaultReward":{{value}}}""")), HttpStatusCode.BadRequest);

        Assert.Contains("1e12", (string)problem["errors"]!["defaultReward"]![0]!);
        await Problem.Assert(await Admin.GetAsync($"/v1/experiments/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync("/v1/experiments")).StatusCode);
    }

    [Fact]
    public async Task AnOverflowingChunkSizeIsA400Problem()
    {
        string id = await ContinuousExperiment();
        (int status, string? contentType, string body) = await RawHttp.SendAsync(fixture.Server.BaseAddress,
            $"POST /v1/experiments/{id}/rewards HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {TestKeys.Admin}\r\n" +
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n{}\r\n");

        Assert.Equal(400, status);
        Assert.StartsWith("application/problem+json", contentType);
        Assert.False(string.IsNullOrEmpty((string?)JsonNode.Parse(body)!["title"]));
        Problem.AssertNoInternals(body);
        await AssertHealthy(id);
    }

    public static TheoryData<string, string, string, string> WrongJsonTypes() => new()
    {
        { "PUT", "", """{"arms":"a"}""", "arms must be an array of strings." },
        { "PUT", "", """{"arms":["a",7]}""", "arms must be an array of strings." },
        { "PUT", "", """{"arms":["a"],"rewardWindowSeconds":1.5}""", "rewardWindowSeconds must be a whole number." },
        { "PUT", "", """{"arms":["a"],"epsilon":"0.1"}""", "epsilon must be a number." },
        { "PUT", "", """["a"]""", "The body must be a JSON object." },
        { "POST", "/choose", """{"userId":5}""", "userId must be a string." },
        { "POST", "/rewards", """{"arm":"big","reward":"x"}""", "reward must be a number." },
        { "POST", "/rewards", """[{"arm":"big","reward":1},{"arm":"big","reward":true}]""", "reward must be a number." },
        { "POST", "/rewards", """{"arm":"big","reward":1""", "The body is not valid JSON." },
    };

    /// <summary>JSON of the wrong type is named by its field, in words a client understands.</summary>
    [Theory]
    [MemberData(nameof(WrongJsonTypes))]
    public async Task AWrongJsonTypeIsNamedByItsFieldWithoutInternals(string method, string action, string body, string message)
    {
        string id = await ContinuousExperiment();
        var request = new HttpRequestMessage(new HttpMethod(method), $"/v1/experiments/{id}{action}") { Content = Http.Json(body) };
        JsonNode problem = await Problem.Assert(await Admin.SendAsync(request), HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsObject(), e => e.Value!.AsArray().Any(m => (string)m! == message));
    }

    public static TheoryData<string, HttpStatusCode> Accepts() => new()
    {
        { "text/html", HttpStatusCode.NotFound },
        { "application/xml", HttpStatusCode.NotFound },
        { "text/html", HttpStatusCode.MethodNotAllowed },
        { "application/xml", HttpStatusCode.Unauthorized },
        { "text/html", HttpStatusCode.Forbidden },
        { "text/html", HttpStatusCode.UnsupportedMediaType },
        { "application/xml", HttpStatusCode.RequestEntityTooLarge },
        { "text/html", HttpStatusCode.BadRequest },
    };

    /// <summary>Framework errors too are problems, even for a client that asks for HTML or XML.</summary>
    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task EveryErrorIsAProblemWhateverTheClientAccepts(string accept, HttpStatusCode status)
    {
        string id = await ContinuousExperiment();
        string rewards = $"/v1/experiments/{id}/rewards";
        (string key, HttpMethod method, string path, HttpContent? content) = status switch
        {
            HttpStatusCode.NotFound => (TestKeys.Admin, HttpMethod.Get, "/v1/nothing-here", null),
            HttpStatusCode.MethodNotAllowed => (TestKeys.Admin, HttpMethod.Patch, $"/v1/experiments/{id}", Http.Json("{}")),
            HttpStatusCode.Unauthorized => ("not-a-key", HttpMethod.Get, "/v1/experiments", null),
            HttpStatusCode.Forbidden => (TestKeys.App, HttpMethod.Get, "/v1/experiments", null),
            HttpStatusCode.UnsupportedMediaType => (TestKeys.Admin, HttpMethod.Post, rewards, new StringContent("x", Encoding.UTF8, "text/plain")),
            HttpStatusCode.RequestEntityTooLarge => (TestKeys.Admin, HttpMethod.Post, rewards, Http.Json(new string(' ', 1_100_000) + "{}")),
            _ => (TestKeys.Admin, HttpMethod.Post, rewards, Http.Json("{")),
        };
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        // As a client sending a large body should: without it, the server may close the connection
        // after its 413 while the body is still being sent, and the client sees a broken pipe.
        request.Headers.ExpectContinue = status == HttpStatusCode.RequestEntityTooLarge;
        await Problem.Assert(await fixture.Server.Client(key).SendAsync(request), status);
    }

    /// <summary>Without a key, every /v1 request is a 401: a wrong method, media type or route says nothing about the API.</summary>
    [Theory]
    [InlineData("PATCH", "/v1/experiments/x", "application/json")]
    [InlineData("POST", "/v1/experiments/x/rewards", "text/plain")]
    [InlineData("GET", "/v1/nothing-here", null)]
    [InlineData("DELETE", "/v1/experiments", null)]
    [InlineData("POST", "/v1/experiments/x/choose", "application/xml")]
    public async Task AnUnauthenticatedCallerGetsA401BeforeAnythingElse(string method, string path, string? contentType)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = contentType is null ? null : new StringContent("{}", Encoding.UTF8, contentType),
        };
        HttpResponseMessage response = await fixture.Server.Client(key: null).SendAsync(request);
        await Problem.Assert(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/metrics")]
    public async Task OperationsEndpointsAnswerOnlyGetAndHead(string path)
    {
        HttpClient anonymous = fixture.Server.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode);
        foreach (HttpMethod method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
            await Problem.Assert(await anonymous.SendAsync(new HttpRequestMessage(method, path) { Content = Http.Json("{}") }), HttpStatusCode.MethodNotAllowed);
    }
}

public sealed class SqliteHostileClientTests(SqliteServerFixture fixture) : HostileClientTests<SqliteServerFixture>(fixture);

public sealed class PostgresHostileClientTests(PostgresServerFixture fixture) : HostileClientTests<PostgresServerFixture>(fixture);
