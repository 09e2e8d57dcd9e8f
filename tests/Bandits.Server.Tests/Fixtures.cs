using Bandits.Testing;

namespace Bandits.Server.Tests;

/// <summary>One in-process server shared by the tests of a class; each test uses its own experiment ids.</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    private InProcessServer server = null!;

    public IBanditsServer Server => server;

    /// <summary>The server's HTTP/2 (cleartext, prior knowledge) address.</summary>
    public Uri Http2Address => server.Http2Address;

    /// <summary>The server's services (its endpoints, for example).</summary>
    public IServiceProvider Services => server.Services;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("bandits-test-").FullName;

    protected abstract Task<string?> ConnectionStringAsync();

    public async Task InitializeAsync()
    {
        server = new InProcessServer(DataDirectory, await ConnectionStringAsync(), ServerSettings.Fast);
        await server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The embedded default: a SQLite file in a temporary directory.</summary>
public sealed class SqliteServerFixture : ServerFixture
{
    protected override Task<string?> ConnectionStringAsync() => Task.FromResult<string?>(null);
}

/// <summary>A real PostgreSQL: a fresh database on the server named by BANDITS_TEST_POSTGRES.</summary>
public sealed class PostgresServerFixture : ServerFixture
{
    protected override async Task<string?> ConnectionStringAsync() => await PostgresDatabases.CreateAsync();
}
