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
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "bandits.db")}");
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM bandits_schema_version";
        Assert.Equal(3L, (long)(await command.ExecuteScalarAsync())!);
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
    public async Task TheHealthcheckCommandReportsWhetherTheServerIsReady()
    {
        await using ServerProcess server = ServerProcess.Create(TempDirectory());
        Assert.Equal(1, (await server.RunCommandAsync("healthcheck")).ExitCode);
        await server.StartAsync();
        (int exitCode, string output) = await server.RunCommandAsync("healthcheck");
        Assert.True(exitCode == 0, output);
    }
}
