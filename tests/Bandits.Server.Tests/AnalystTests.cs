using System.Net;
using System.Text.Json.Nodes;

namespace Bandits.Server.Tests;

/// <summary>What analysts read (docs/api.md): history, statistics at a past moment, the live stream, lifecycle, recommendation and health.</summary>
public abstract class AnalystTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private IBanditsServer Server => fixture.Server;
    private HttpClient Admin => Server.Client();
    private HttpClient Analyst => Server.Client(TestKeys.Analyst);

    [Fact]
    public async Task AChoiceShowsInTheStatisticsRightAfterItsReward()
    {
        string id = Http.NewId();
        await Admin.PutExperiment(id, new { arms = new[] { "a", "b" } });
        JsonNode decision = await Admin.Choose(id);
        await Admin.Reward(id, new { decisionId = (string)decision["decisionId"]!, reward = 1 });

        JsonNode arm = (await Analyst.Stats(id)).Arm((string)decision["arm"]!);
        Assert.Equal(1, (long)arm["decisions"]!);
        Assert.Equal(1, (long)arm["rewards"]!);
    }

    /// <summary>The rollups count what the log holds, and the posterior at the last point is the live one (γ = 1: exact).</summary>
    [Fact]
    public async Task HistoryCountsEveryDecisionAndRewardAndEndsAtTheLivePosterior()
    {
        string id = Http.NewId();
        await Admin.PutExperiment(id, new { arms = new[] { "a", "b", "c" } });
        var random = new Random(3);
        int ones = 0;
        for (int i = 0; i < 60; i++)
        {
            JsonNode decision = await Admin.Choose(id);
            int reward = random.Next(2);
            ones += reward;
            await Admin.Reward(id, new { decisionId = (string)decision["decisionId"]!, reward });
        }
        JsonNode history = null!;
        await Eventually.UntilAsync(async () =>
        {
            history = await GetJson(Analyst, $"/v1/experiments/{id}/history?step=1m&from={Minutes(-10)}");
            return Sum(history, "decisions") == 60;
        }, "the 60 decisions to be logged");

        Assert.Equal("1m", (string)history["step"]!);
        Assert.Equal(60, Sum(history, "rewards"));
        Assert.Equal(ones, Sum(history, "rewardSum"));
        JsonNode last = history["points"]!.AsArray().Last()!;
        JsonNode stats = await Analyst.Stats(id);
        foreach (string arm in new[] { "a", "b", "c" })
        {
            JsonNode then = last["arms"]!.AsArray().Single(a => (string)a!["arm"]! == arm)!, now = stats.Arm(arm);
            foreach (string field in new[] { "mean", "lower", "upper", "probabilityBest" })
                Assert.Equal((double)now[field]!, (double)then[field]!, 9);
        }
        // Traffic shares of a bucket with decisions add up to 1.
        foreach (JsonNode? point in history["points"]!.AsArray().Where(p => p!["arms"]!.AsArray().Sum(a => (long)a!["decisions"]!) > 0))
            Assert.Equal(1.0, point!["arms"]!.AsArray().Sum(a => (double)a!["trafficShare"]!), 9);
    }

    [Fact]
    public async Task StatisticsAtAMomentAreThoseOfThen()
    {
        string id = Http.NewId();
        await Admin.PutExperiment(id, new { arms = new[] { "a", "b" } });
        for (int i = 0; i < 20; i++) await Admin.Reward(id, new { arm = i % 2 == 0 ? "a" : "b", reward = i % 3 == 0 ? 1 : 0 });

        JsonNode before = await GetJson(Analyst, $"/v1/experiments/{id}/stats?at={Minutes(-90)}");
        Assert.Equal(0, (long)before["totalRewards"]!);
        Assert.EndsWith(":00Z", (string)before["at"]!);
        // A moment after every reward (the next minute's start includes this one's).
        JsonNode after = await GetJson(Analyst, $"/v1/experiments/{id}/stats?at={Minutes(2)}");
        JsonNode now = await Analyst.Stats(id);
        Assert.Equal(20, (long)after["totalRewards"]!);
        foreach (string arm in new[] { "a", "b" })
        {
            Assert.Equal((double)now.Arm(arm)["mean"]!, (double)after.Arm(arm)["mean"]!, 9);
            Assert.Equal((double)now.Arm(arm)["probabilityBest"]!, (double)after.Arm(arm)["probabilityBest"]!, 9);
        }
    }

    [Theory]
    [InlineData("step=5m", "step")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from")]
    [InlineData("step=1m&from=2020-01-01T00:00:00Z", "step")]
    [InlineData("step=1m&from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "step")]
    public async Task HistoryRefusesABadRangeWithTheFieldNamed(string query, string field)
    {
        string id = Http.NewId();
        await Admin.PutExperiment(id, new { arms = new[] { "a", "b" } });
        HttpResponseMessage response = await Analyst.GetAsync($"/v1/experiments/{id}/history?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await response.Body())["errors"]![field]);
    }

    [Fact]
    public async Task HistoryOfAnUnknownExperimentIs404()
    {
        HttpResponseMessage response = await Analyst.GetAsync($"/v1/experiments/{Http.NewId()}/history");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AConcludedExperimentAnswersItsWinnerAndReopenedLearnsAgain()
    {
        string id = Http.NewId();
        await Admin.PutExperiment(id, new { arms = new[] { "control", "blue", "green" } });

        Assert.Equal(HttpStatusCode.Forbidden, (await Analyst.PostAsync($"/v1/experiments/{id}/conclude", Http.Json(new { winner = "blue" }))).StatusCode);
        HttpResponseMessage unknown = await Admin.PostAsync($"/v1/experiments/{id}/conclude", Http.Json(new { winner = "purple" }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("purple", (string)(await unknown.Body())["errors"]!["winner"]![0]!);

        HttpResponseMessage concluded = await Admin.PostAsync($"/v1/experiments/{id}/conclude", Http.Json(new { winner = "blue" }));
        Assert.Equal(HttpStatusCode.OK, concluded.StatusCode);
        Assert.Equal("concluded", (string)(await concluded.Body())["status"]!);
        for (int i = 0; i < 50; i++)
        {
            JsonNode decision = await Admin.Choose(id);
            Assert.Equal("blue", (string)decision["arm"]!);
            Assert.Equal(1.0, (double)decision["propensity"]!);
            await Admin.Reward(id, new { decisionId = (string)decision["decisionId"]!, reward = 0 });
        }
        JsonNode stats = await Analyst.Stats(id);
        Assert.Equal("concluded", (string)stats["status"]!);
        Assert.Equal("blue", (string)stats["winner"]!);
        Assert.Equal(50, (long)stats.Arm("blue")["rewards"]!); // still recorded

        HttpResponseMessage reopened = await Admin.PostAsync($"/v1/experiments/{id}/reopen", null);
        Assert.Equal("running", (string)(await reopened.Body())["status"]!);
        // Blue earned 50 zeros: Thompson sampling now prefers the arms it knows nothing of.
        var arms = new HashSet<string>();
        for (int i = 0; i < 20; i++) arms.Add((string)(await Admin.Choose(id))["arm"]!);
        Assert.Contains("control", arms);
        JsonNode after = await Analyst.Stats(id);
        Assert.Equal("running", (string)after["status"]!);
        Assert.Null(after["winner"]);
    }

    /// <summary>Burn-in: while an arm has fewer than the minimum, every choice is uniform, whatever was learned.</summary>
    [Fact]
    public async Task BurnInChoosesUniformlyUntilEveryArmHasItsMinimum()
    {
        string id = Http.NewId();
        await Admin.PutExperiment(id, new { arms = new[] { "a", "b", "c", "d" }, minimumDecisionsPerArm = 30 });
        // Strong evidence for "a": without the burn-in Thompson sampling would choose it almost always.
        await Admin.Reward(id, Enumerable.Range(0, 200).Select(_ => new { arm = "a", reward = 1 }).ToArray());
        // 4 arms × 30: the burn-in cannot be over before 120 decisions were made.
        for (int i = 0; i < 100; i++) Assert.Equal(0.25, (double)(await Admin.Choose(id))["propensity"]!);

        JsonNode recommendation = (await Analyst.Stats(id))["recommendation"]!;
        Assert.False((bool)recommendation["ready"]!);
        Assert.StartsWith("Burn-in", (string)recommendation["reason"]!);
        await Eventually.UntilAsync(async () => (double)(await Admin.Choose(id))["propensity"]! > 0.9, "the burn-in to end");
    }

    [Fact]
    public async Task TheRecommendationIsReadyOnlyWhenTheLeaderIsClearlyBest()
    {
        string id = Http.NewId();
        await Admin.PutExperiment(id, new { arms = new[] { "good", "bad" } });
        JsonNode early = (await Analyst.Stats(id))["recommendation"]!;
        Assert.False((bool)early["ready"]!);
        Assert.StartsWith("Not yet", (string)early["reason"]!);

        // 900 of 1000 against 100 of 1000: P(best) is 1 to many decimals, and the expected loss
        // E[max − θ_good] is far below 1% of 0.9.
        await Admin.Reward(id, Enumerable.Range(0, 1000).Select(i => new { arm = "good", reward = i % 10 == 0 ? 0 : 1 }).ToArray());
        await Admin.Reward(id, Enumerable.Range(0, 1000).Select(i => new { arm = "bad", reward = i % 10 == 0 ? 1 : 0 }).ToArray());
        JsonNode recommendation = (await Analyst.Stats(id))["recommendation"]!;
        Assert.True((bool)recommendation["ready"]!, (string)recommendation["reason"]!);
        Assert.Equal("good", (string)recommendation["winner"]!);
        Assert.True((double)recommendation["probabilityBest"]! > 0.999);
        Assert.True((double)recommendation["expectedLoss"]! < 0.009);
    }

    [Fact]
    public async Task HealthCountsLateUnjoinedAndDefaultRewards()
    {
        string id = Http.NewId();
        await Admin.PutExperiment(id, new { arms = new[] { "a", "b" }, rewardWindowSeconds = 1, defaultReward = 0 });
        JsonNode late = await Admin.Choose(id);
        await Admin.Choose(id); // never rewarded: it gets the default
        await Admin.Reward(id, new { arm = "a", reward = 1 });
        await Eventually.UntilPastAsync(DateTimeOffset.UtcNow.AddSeconds(1.5));
        JsonNode receipt = await Admin.Reward(id, new { decisionId = (string)late["decisionId"]!, reward = 1 });
        Assert.Equal(1, (int)receipt["expired"]!);

        JsonNode health = null!;
        await Eventually.UntilAsync(async () => (long)(health = (await Analyst.Stats(id))["health"]!)["defaultRewards"]! == 2, "both decisions to get their default");
        Assert.Equal(1, (long)health["lateRewards"]!);
        Assert.Equal(1, (long)health["unjoinedRewards"]!);
        Assert.Equal(0, (double)health["rewardedShare"]!);
    }

    [Fact]
    public async Task TheStreamPushesStatisticsAsRewardsArriveAndEndsOnDelete()
    {
        string id = Http.NewId();
        await Admin.PutExperiment(id, new { arms = new[] { "a", "b" } });
        using HttpClient reader = Server.Client(TestKeys.Analyst);
        reader.Timeout = Timeout.InfiniteTimeSpan;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/experiments/{id}/stats/stream");
        using HttpResponseMessage response = await reader.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new ServerSentEvents(await response.Content.ReadAsStreamAsync());

        (string type, JsonNode first) = await events.NextAsync();
        Assert.Equal("stats", type);
        Assert.Equal(0, (long)first["totalRewards"]!);

        await Admin.Reward(id, new { arm = "a", reward = 1 });
        (_, JsonNode next) = await events.NextAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(1, (long)next["totalRewards"]!);

        await Admin.DeleteAsync($"/v1/experiments/{id}");
        (string last, _) = await events.NextAsync(TimeSpan.FromSeconds(3));
        Assert.Equal("deleted", last);
        Assert.True(await events.EndedAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task TheStreamOfAnUnknownExperimentIs404()
    {
        HttpResponseMessage response = await Analyst.GetAsync($"/v1/experiments/{Http.NewId()}/stats/stream");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string Minutes(int offset) => Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(offset).ToString("yyyy-MM-ddTHH:mm:ssZ"));

    private static double Sum(JsonNode history, string field) =>
        history["points"]!.AsArray().Sum(p => p!["arms"]!.AsArray().Sum(a => (double)a![field]!));

    private static async Task<JsonNode> GetJson(HttpClient client, string path)
    {
        HttpResponseMessage response = await client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}

public sealed class SqliteAnalystTests(SqliteServerFixture fixture) : AnalystTests<SqliteServerFixture>(fixture);

public sealed class PostgresAnalystTests(PostgresServerFixture fixture) : AnalystTests<PostgresServerFixture>(fixture);
