using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace Bandits.Server.Tests;

/// <summary>
/// A PostgreSQL database that turns read-only (as a replica promoted the wrong way, or a full
/// disk's emergency setting does): readiness says so within seconds, reads go on, and all is well
/// again once it takes writes.
/// </summary>
public sealed class ReadOnlyDatabaseTests : IAsyncLifetime
{
    private readonly string data = Directory.CreateTempSubdirectory("bandits-read-only-").FullName;
    private string connectionString = null!;
    private InProcessServer server = null!;

    public async Task InitializeAsync()
    {
        connectionString = await PostgresDatabases.CreateAsync();
        server = new InProcessServer(data, connectionString, ServerSettings.Fast);
        await server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task ReadinessFollowsWhetherTheDatabaseTakesWritesAndReadsGoOn()
    {
        HttpClient admin = server.Client(), probe = server.Client(key: null);
        string id = Http.NewId();
        (await admin.PutExperiment(id, new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();
        await admin.Reward(id, Enumerable.Range(0, 10).Select(i => new { arm = "a", reward = i % 2 }).ToArray());

        await SetReadOnlyAsync(true);
        HttpResponseMessage refused = await admin.PostAsync($"/v1/experiments/{id}/rewards", Http.Json(new { arm = "a", reward = 1 }));
        await Problem.Assert(refused, HttpStatusCode.ServiceUnavailable);

        HttpResponseMessage ready = null!;
        await Eventually.UntilAsync(async () => (ready = await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            "readiness to report the failing writes", TimeSpan.FromSeconds(5));
        JsonNode notReady = await Problem.Assert(ready, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("read-only transaction", (string)notReady["detail"]!, StringComparison.Ordinal);
        Assert.Equal(10, (long)(await admin.Stats(id))["totalRewards"]!);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/experiments")).StatusCode);

        await SetReadOnlyAsync(false);
        await Eventually.UntilAsync(async () => (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "readiness once writes are taken");
        await Eventually.UntilAsync(async () =>
            (await admin.PostAsync($"/v1/experiments/{id}/rewards", Http.Json(new { arm = "a", reward = 1 }))).StatusCode == HttpStatusCode.OK,
            "a reward to be accepted again");
        Assert.Equal(11, (long)(await admin.Stats(id))["totalRewards"]!);
    }

    /// <summary>Sets the database's default for new transactions and ends its sessions, so that every connection takes it.</summary>
    private async Task SetReadOnlyAsync(bool readOnly)
    {
        string database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(PostgresDatabases.TestServer());
        await connection.OpenAsync();
        string setting = readOnly ? "SET default_transaction_read_only = on" : "RESET default_transaction_read_only";
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE {database} {setting}", connection)) await alter.ExecuteNonQueryAsync();
        await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database", connection);
        terminate.Parameters.AddWithValue("database", database);
        await terminate.ExecuteNonQueryAsync();
        NpgsqlConnection.ClearAllPools();
    }
}
