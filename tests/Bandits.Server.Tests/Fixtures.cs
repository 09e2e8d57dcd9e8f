using Npgsql;

namespace Bandits.Server.Tests;

/// <summary>One running server shared by the tests of a class; each test uses its own experiment ids.</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("bandits-test-").FullName;

    protected abstract string? ConnectionString();

    public async Task InitializeAsync()
    {
        Server = ServerProcess.Create(DataDirectory, ConnectionString(), new Dictionary<string, string>
        {
            ["Experiments__DefaultRewardSweepInterval"] = "00:00:00.200",
            ["Experiments__ModelRefresh"] = "00:00:00.050",
        });
        await Server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The embedded default: a SQLite file in a temporary directory.</summary>
public sealed class SqliteServerFixture : ServerFixture
{
    protected override string? ConnectionString() => null;
}

/// <summary>
/// A real PostgreSQL: the server named by BANDITS_TEST_POSTGRES (./build.sh test starts one and
/// sets it), in a fresh database per fixture.
/// </summary>
public sealed class PostgresServerFixture : ServerFixture
{
    protected override string? ConnectionString() => PostgresDatabase.Create();
}

public static class PostgresDatabase
{
    /// <summary>Creates an empty database on the test server and returns its connection string.</summary>
    public static string Create()
    {
        string server = Environment.GetEnvironmentVariable("BANDITS_TEST_POSTGRES")
            ?? throw new InvalidOperationException(
                "PostgreSQL tests need BANDITS_TEST_POSTGRES (a connection string to a server where databases may be created). " +
                "./build.sh test installs and starts one and sets it.");
        string name = $"bandits_test_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }
}
