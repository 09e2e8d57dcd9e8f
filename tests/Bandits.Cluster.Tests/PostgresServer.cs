using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bandits.Cluster.Tests;

/// <summary>
/// A PostgreSQL server of the test's own (Debian's binaries, a data directory under a temp
/// folder, 127.0.0.1 and a free port), so that stopping it hurts no other test.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string bin;
    private readonly string directory;
    private readonly bool asPostgresUser = Environment.UserName == "root";

    private PostgresServer(string bin, string directory, int port)
    {
        this.bin = bin;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString() =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=3;Command Timeout=10";

    public static async Task<PostgresServer> StartAsync()
    {
        string bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql); ./build.sh test installs it.");
        string directory = Directory.CreateTempSubdirectory("bandits-cluster-pg-").FullName;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = new PostgresServer(bin, directory, port);
        if (server.asPostgresUser) await Run("chown", "postgres", directory);
        await server.Pg("initdb", "-D", Path.Combine(directory, "data"), "-A", "trust", "-U", "postgres");
        await server.StartAgainAsync();
        return server;
    }

    public Task<string> CreateDatabaseAsync() => PostgresDatabases.CreateAsync(ConnectionString());

    /// <summary>Stops the server at once (connections are cut, as in a crash of the database host).</summary>
    public Task StopAsync() => Pg("pg_ctl", "-D", Path.Combine(directory, "data"), "-m", "immediate", "-w", "stop");

    public Task StartAgainAsync() => Pg("pg_ctl", "-D", Path.Combine(directory, "data"), "-l", Path.Combine(directory, "server.log"), "-w",
        "-o", $"-p {Port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300", "start");

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); } catch (InvalidOperationException) { }
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private Task Pg(string program, params string[] arguments) =>
        asPostgresUser
            ? Run("runuser", ["-u", "postgres", "--", Path.Combine(bin, program), .. arguments])
            : Run(Path.Combine(bin, program), arguments);

    private static async Task Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
    }
}
