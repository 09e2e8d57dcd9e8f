using Npgsql;

namespace Bandits.Testing;

/// <summary>Empty PostgreSQL databases for tests, each its own, on a server where databases may be created.</summary>
public static class PostgresDatabases
{
    /// <summary>The test server: BANDITS_TEST_POSTGRES (./build.sh test starts one and sets it).</summary>
    public static string TestServer() => Environment.GetEnvironmentVariable("BANDITS_TEST_POSTGRES")
        ?? throw new InvalidOperationException(
            "PostgreSQL tests need BANDITS_TEST_POSTGRES (a connection string to a server where databases may be created). " +
            "./build.sh test installs and starts one and sets it.");

    /// <summary>Creates an empty database on <paramref name="server"/> (default: the test server) and returns its connection string.</summary>
    public static async Task<string> CreateAsync(string? server = null)
    {
        server ??= TestServer();
        string name = $"bandits_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }
}
