using System.Data.Common;
using System.Net;
using System.Text.Json.Nodes;
using Bandits.Grains.Storage;

namespace Bandits.Server.Tests;

/// <summary>GET /v1/experiments: pages read from the database, in a stable order, with a count, filters and an opaque cursor.</summary>
public abstract class ExperimentListTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private HttpClient Admin => fixture.Server.Client();

    private async Task<JsonNode> List(string query)
    {
        HttpResponseMessage response = await Admin.GetAsync($"/v1/experiments?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Body();
    }

    [Fact]
    public async Task PagesFollowEachOtherInIdOrderUntilTheLastHasNoCursor()
    {
        string prefix = Http.NewId("page")[..16];
        string[] ids = [.. Enumerable.Range(0, 7).Select(i => $"{prefix}-{i}")];
        foreach (string id in ids.Reverse()) (await Admin.PutExperiment(id, new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();

        var seen = new List<string>();
        string? cursor = null;
        int pages = 0;
        do
        {
            JsonNode page = await List($"search={prefix}&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.Equal(7, (long)page["total"]!);
            seen.AddRange(page["experiments"]!.AsArray().Select(e => (string)e!["id"]!));
            cursor = (string?)page["nextCursor"];
            Assert.Equal(cursor is null, !page.AsObject().ContainsKey("nextCursor")); // absent, not null, on the last page
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids, seen); // id order, each once
    }

    [Fact]
    public async Task EntriesCarryStatusCountsAndTheLeaderAndFiltersApply()
    {
        string prefix = Http.NewId("entry")[..16];
        string running = $"{prefix}-r", concluded = $"{prefix}-c";
        foreach (string id in new[] { running, concluded }) (await Admin.PutExperiment(id, new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();
        await Admin.Reward(running, Enumerable.Range(0, 40).Select(i => new { arm = i % 2 == 0 ? "a" : "b", reward = i % 2 == 0 ? 1 : 0 }).ToArray());
        (await Admin.PostAsync($"/v1/experiments/{concluded}/conclude", Http.Json(new { winner = "b" }))).EnsureSuccessStatusCode();

        // The line follows the experiment's snapshots, which come within seconds of a change.
        JsonNode entry = null!;
        await Eventually.UntilAsync(async () =>
            (long)(entry = (await List($"search={running}"))["experiments"]![0]!)["rewards"]! == 40, "the list to show the rewards");
        Assert.Equal("running", (string)entry["status"]!);
        Assert.Equal(["a", "b"], entry["arms"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("a", (string)entry["leader"]!);
        Assert.InRange((double)entry["leaderProbabilityBest"]!, 0.99, 1);
        Assert.Equal("thompson", (string)entry["policy"]!);

        JsonNode onlyConcluded = await List($"search={prefix}&status=concluded");
        Assert.Equal(1, (long)onlyConcluded["total"]!);
        Assert.Equal(concluded, (string)onlyConcluded["experiments"]![0]!["id"]!);
        Assert.Equal("b", (string)onlyConcluded["experiments"]![0]!["winner"]!);
        Assert.Equal(1, (long)(await List($"search={prefix}&status=running"))["total"]!);
        Assert.Equal(0, (long)(await List("search=no-experiment-has-this"))["total"]!);
        Assert.Equal(0, (long)(await List("search=%25"))["total"]!); // a LIKE wildcard is taken literally
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("status=paused", "status")]
    [InlineData("cursor=not-a-cursor!", "cursor")]
    [InlineData("cursor=YWJj%3D", "cursor")] // "abc=": padding is not a cursor this service writes
    [InlineData("cursor=JSU", "cursor")]     // decodes to "%%", which is no experiment id
    public async Task ABadQueryIsA400NamingIt(string query, string field)
    {
        JsonNode problem = await Problem.Assert(await Admin.GetAsync($"/v1/experiments?{query}"), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }
}

public sealed class SqliteExperimentListTests(SqliteServerFixture fixture) : ExperimentListTests<SqliteServerFixture>(fixture);

public sealed class PostgresExperimentListTests(PostgresServerFixture fixture) : ExperimentListTests<PostgresServerFixture>(fixture);

/// <summary>After a restart, listing loads no experiment and writes nothing: no activation claims an owner epoch.</summary>
public abstract class ListingLoadsNothingTests
{
    protected abstract Task<string?> ConnectionStringAsync();

    [Fact]
    public async Task ListingAfterARestartClaimsNoExperiment()
    {
        string data = Directory.CreateTempSubdirectory("bandits-list-").FullName;
        string? postgres = await ConnectionStringAsync();
        string prefix = Http.NewId("idle")[..16];
        await using (ServerProcess first = ServerProcess.Create(data, postgres))
        {
            await first.StartAsync();
            HttpClient client = first.Client();
            for (int i = 0; i < 5; i++)
            {
                (await client.PutExperiment($"{prefix}-{i}", new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();
                await client.Reward($"{prefix}-{i}", new[] { new { arm = "a", reward = 1 } });
            }
            await first.StopAsync(); // graceful: every experiment writes its final snapshot and line
        }
        BanditsDatabase database = postgres is null ? BanditsDatabase.Embedded(data) : BanditsDatabase.Postgres(postgres);
        long epochs = await EpochsAsync(database);

        await using ServerProcess second = ServerProcess.Create(data, postgres);
        await second.StartAsync();
        JsonNode page = await (await second.Client().GetAsync($"/v1/experiments?search={prefix}")).Body();

        Assert.Equal(5, (long)page["total"]!);
        Assert.All(page["experiments"]!.AsArray(), e => Assert.Equal(1, (long)e!["rewards"]!));
        Assert.Equal(epochs, await EpochsAsync(database));
    }

    /// <summary>As after an upgrade from before schema 015: an experiment without a line is loaded once, listed, and its line written.</summary>
    [Fact]
    public async Task AnExperimentWithoutALineIsLoadedOnceAndItsLineWritten()
    {
        string data = Directory.CreateTempSubdirectory("bandits-list-").FullName;
        string? postgres = await ConnectionStringAsync();
        string id = Http.NewId("upgraded");
        await using (ServerProcess first = ServerProcess.Create(data, postgres))
        {
            await first.StartAsync();
            (await first.Client().PutExperiment(id, new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();
            await first.Client().Reward(id, new[] { new { arm = "b", reward = 1 } });
            await first.StopAsync();
        }
        BanditsDatabase database = postgres is null ? BanditsDatabase.Embedded(data) : BanditsDatabase.Postgres(postgres);
        await ExecuteAsync(database, $"UPDATE bandits_experiments SET listing = NULL, status = NULL WHERE experiment_id = '{id}'");

        await using ServerProcess second = ServerProcess.Create(data, postgres);
        await second.StartAsync();
        JsonNode entry = (await (await second.Client().GetAsync($"/v1/experiments?search={id}")).Body())["experiments"]![0]!;

        Assert.Equal(id, (string)entry["id"]!);
        Assert.Equal(1, (long)entry["rewards"]!);
        Assert.Equal("running", (string)entry["status"]!);
        Assert.Equal(1L, await ExecuteAsync(database, $"SELECT COUNT(*) FROM bandits_experiments WHERE experiment_id = '{id}' AND listing IS NOT NULL"));
    }

    private static async Task<long> ExecuteAsync(BanditsDatabase database, string sql)
    {
        await using DbConnection connection = await database.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> EpochsAsync(BanditsDatabase database)
    {
        await using DbConnection connection = await database.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT SUM(owner_epoch) FROM bandits_experiments";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class SqliteListingLoadsNothingTests : ListingLoadsNothingTests
{
    protected override Task<string?> ConnectionStringAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresListingLoadsNothingTests : ListingLoadsNothingTests
{
    protected override async Task<string?> ConnectionStringAsync() => await PostgresDatabases.CreateAsync();
}
