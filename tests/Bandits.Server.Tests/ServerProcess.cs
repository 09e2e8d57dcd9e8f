using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Bandits.Server.Tests;

/// <summary>
/// The real server, started as its own process on 127.0.0.1 with free ports, against a data
/// directory or a PostgreSQL database. It can be stopped gracefully (SIGTERM) or killed (SIGKILL)
/// and started again on the same data.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";
    public const string AppKey = "test-app-key";
    public const string ProducerKey = "test-producer-key";
    public const string AnalystKey = "test-analyst-key";

    private readonly Dictionary<string, string> environment;
    private readonly StringBuilder output = new();
    private Process? process;

    private ServerProcess(Dictionary<string, string> environment, int httpPort)
    {
        this.environment = environment;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>A server on the embedded SQLite database in <paramref name="dataDirectory"/>, or on PostgreSQL when a connection string is given.</summary>
    public static ServerProcess Create(string dataDirectory, string? postgres = null, IDictionary<string, string>? settings = null, bool withKeys = true)
    {
        int http = FreePort(), silo = FreePort(), gateway = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Urls"] = $"http://127.0.0.1:{http}",
            ["Storage__Provider"] = postgres is null ? "Embedded" : "Postgres",
            ["Storage__DataDirectory"] = dataDirectory,
            ["Cluster__SiloPort"] = silo.ToString(),
            ["Cluster__GatewayPort"] = gateway.ToString(),
            ["Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Cluster__ClusterId"] = $"test-{Guid.NewGuid():N}",
            ["Experiments__SnapshotInterval"] = "00:00:01",
        };
        if (postgres is not null) environment["Storage__ConnectionString"] = postgres;
        string[] keys = [AdminKey, AppKey, ProducerKey, AnalystKey];
        string[] roles = ["admin", "app", "producer", "analyst"];
        for (int i = 0; i < keys.Length && withKeys; i++)
        {
            environment[$"Auth__Keys__{i}__Name"] = roles[i];
            environment[$"Auth__Keys__{i}__Key"] = keys[i];
            environment[$"Auth__Keys__{i}__Roles__0"] = roles[i];
        }
        foreach ((string key, string value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        return new ServerProcess(environment, http);
    }

    /// <summary>Runs the server with <paramref name="arguments"/> to its end and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunToEndAsync(params string[] arguments)
    {
        Launch(arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process!.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, Output);
    }

    /// <summary>Runs a command of the server's (e.g. <c>healthcheck</c>) with this server's settings, beside it.</summary>
    public async Task<(int ExitCode, string Output)> RunCommandAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [ServerAssembly(), .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string key, string value) in environment) start.Environment[key] = value;
        using Process command = Process.Start(start)!;
        Task<string> stdout = command.StandardOutput.ReadToEndAsync(), stderr = command.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await command.WaitForExitAsync(timeout.Token);
        return (command.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts the process and waits until /health/ready answers 200.</summary>
    public async Task StartAsync()
    {
        Launch([]);
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process!.HasExited) throw new InvalidOperationException($"The server exited with {process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The server did not become ready in 60 s:\n{Output}");
    }

    private void Launch(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [ServerAssembly(), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServerAssembly())!,
        };
        foreach ((string key, string value) in environment) start.Environment[key] = value;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: the process dies at once, with no chance to flush anything.</summary>
    public async Task KillAsync()
    {
        if (process is null || process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the graceful shutdown an orchestrator asks for.</summary>
    public async Task StopAsync()
    {
        if (process is null || process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await process.WaitForExitAsync(timeout.Token);
    }

    public int? ExitCode => process is { HasExited: true } ? process.ExitCode : null;

    public HttpClient Client(string? key = AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/Bandits.Server/bin/&lt;configuration&gt;/net10.0/Bandits.Server.dll, built with this test project.</summary>
    private static string ServerAssembly()
    {
        string here = Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!;
        string configuration = new DirectoryInfo(here).Parent!.Name; // …/bin/<configuration>/net10.0
        DirectoryInfo? root = new(here);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Bandits.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Bandits.sln not found above " + here);
        return Path.Combine(root.FullName, "src", "Bandits.Server", "bin", configuration, "net10.0", "Bandits.Server.dll");
    }
}
