using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Bandits.Server.Tests;

/// <summary>What the server does at start: schema, the migrate command, and its refusal to run unprotected.</summary>
public sealed class StartupTests
{
    private static string TempDirectory() => Directory.CreateTempSubdirectory("bandits-startup-").FullName;

    [Fact]
    public async Task MigrateAppliesTheSchemaAndExits()
    {
        string data = TempDirectory();
        await using ServerProcess server = ServerProcess.Create(data);
        (int exitCode, string output) = await server.RunToEndAsync("migrate");

        Assert.True(exitCode == 0, output);
        Assert.Equal("001-orleans-main.sql 002-orleans-persistence.sql 010-bandits-log.sql 011-decision-log-order.sql 012-experiment-ownership.sql 013-rollups.sql 014-data-protection-keys.sql 015-experiment-listing.sql",
            await ScalarAsync(data, "SELECT group_concat(script, ' ') FROM (SELECT script FROM bandits_schema_version ORDER BY script)"));
    }

    /// <summary>Decisions logged before the log had its own order keep their place in it: their sequence.</summary>
    [Fact]
    public async Task MigratingToTheLogOrderKeepsEarlierDecisions()
    {
        string data = TempDirectory();
        await using ServerProcess first = ServerProcess.Create(data);
        Assert.Equal(0, (await first.RunToEndAsync("migrate")).ExitCode);
        // Back to the schema before 011, with two decisions in it.
        await ScalarAsync(data, """
            DROP INDEX bandits_decisions_log_no;
            ALTER TABLE bandits_decisions DROP COLUMN log_no;
            DELETE FROM bandits_schema_version WHERE script = '011-decision-log-order.sql';
            INSERT INTO bandits_decisions (experiment_id, decision_seq, arm_index, issued_at, propensity, user_id)
            VALUES ('old', 7, 0, 1, 0.5, NULL), ('old', 9, 1, 2, 0.5, 'u');
            """);

        await using ServerProcess second = ServerProcess.Create(data);
        (int exitCode, string output) = await second.RunToEndAsync("migrate");

        Assert.True(exitCode == 0, output);
        Assert.Equal("7:7,9:9", await ScalarAsync(data,
            "SELECT group_concat(decision_seq || ':' || log_no, ',') FROM (SELECT * FROM bandits_decisions ORDER BY decision_seq)"));
    }

    /// <summary>Runs SQL against the embedded database in <paramref name="data"/> and returns the first value.</summary>
    private static async Task<object?> ScalarAsync(string data, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "bandits.db")}");
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task MigrateTwiceChangesNothing()
    {
        string data = TempDirectory();
        await using ServerProcess first = ServerProcess.Create(data);
        Assert.Equal(0, (await first.RunToEndAsync("migrate")).ExitCode);
        await using ServerProcess second = ServerProcess.Create(data);
        (int exitCode, string output) = await second.RunToEndAsync("migrate");
        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("Applied schema scripts", output);
    }

    [Fact]
    public async Task ProductionWithoutKeysRefusesToStart()
    {
        await using ServerProcess server = ServerProcess.Create(TempDirectory(), withKeys: false);
        (int exitCode, string output) = await server.RunToEndAsync();
        Assert.NotEqual(0, exitCode);
        Assert.Contains("No API keys are configured", output);
    }

    [Fact]
    public async Task DevelopmentWithoutKeysGeneratesAnAdminKeyInTheDataDirectory()
    {
        string data = TempDirectory();
        await using ServerProcess server = ServerProcess.Create(data, settings: new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, withKeys: false);
        await server.StartAsync();

        string key = (await File.ReadAllTextAsync(Path.Combine(data, "admin.key"))).Trim();
        Assert.Equal(HttpStatusCode.OK, (await server.Client(key).GetAsync("/v1/experiments")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client("wrong").GetAsync("/v1/experiments")).StatusCode);
    }

    [Fact]
    public async Task AKeyConfiguredByItsHashAuthenticates()
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hashed-secret")));
        await using ServerProcess server = ServerProcess.Create(TempDirectory(), settings: new Dictionary<string, string>
        {
            ["Auth__Keys__9__Name"] = "hashed",
            ["Auth__Keys__9__KeyHash"] = $"sha256:{hash}",
            ["Auth__Keys__9__Roles__0"] = "analyst",
        });
        await server.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Client("hashed-secret").GetAsync("/v1/experiments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client("hashed-secret").PutAsync($"/v1/experiments/{Http.NewId()}", Http.Json(new { arms = new[] { "a" } }))).StatusCode);
    }

    [Fact]
    public async Task DisabledAuthLetsEveryCallerIn()
    {
        await using ServerProcess server = ServerProcess.Create(TempDirectory(), settings: new Dictionary<string, string> { ["Auth__Disabled"] = "true" }, withKeys: false);
        await server.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await server.Client(null).PutAsync($"/v1/experiments/{Http.NewId()}", Http.Json(new { arms = new[] { "a" } }))).StatusCode);
    }

    [Fact]
    public async Task HttpRequestMetricsAreExportedWhenAskedFor()
    {
        await using ServerProcess server = ServerProcess.Create(TempDirectory(), settings: new Dictionary<string, string> { ["Metrics__HttpRequests"] = "true" });
        await server.StartAsync();
        await server.Client().GetAsync("/v1/experiments");
        string metrics = await server.Client(null).GetStringAsync("/metrics");
        Assert.Contains("http_requests_received_total", metrics);
        Assert.Contains("http_request_duration_seconds", metrics);
    }

    [Fact]
    public async Task TheHealthcheckCommandReportsWhetherTheServerIsReady()
    {
        await using ServerProcess server = ServerProcess.Create(TempDirectory());
        Assert.Equal(1, (await server.RunCommandAsync("healthcheck")).ExitCode);
        await server.StartAsync();
        (int exitCode, string output) = await server.RunCommandAsync("healthcheck");
        Assert.True(exitCode == 0, output);
    }
}
