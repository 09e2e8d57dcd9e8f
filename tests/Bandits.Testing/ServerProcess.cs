using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;

namespace Bandits.Testing;

/// <summary>
/// The real server, started as its own process on 127.0.0.1 with free ports, against a data
/// directory or a PostgreSQL database. It can be stopped gracefully (SIGTERM) or killed (SIGKILL)
/// and started again on the same data.
/// </summary>
public sealed class ServerProcess : IBanditsServer, IAsyncDisposable
{
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
    /// <param name="settings">Further settings (<c>Section:Key</c> or <c>Section__Key</c>); they win.</param>
    public static ServerProcess Create(string dataDirectory, string? postgres = null, IDictionary<string, string>? settings = null, bool withKeys = true)
    {
        int http = FreePorts.Next();
        // Environment variables name sections with "__" where configuration keys use ':'.
        Dictionary<string, string> environment = ServerSettings.Create(dataDirectory, postgres, http, withKeys)
            .ToDictionary(s => s.Key == "environment" ? "ASPNETCORE_ENVIRONMENT" : s.Key.Replace(":", "__"), s => s.Value);
        foreach ((string key, string value) in settings ?? new Dictionary<string, string>()) environment[key.Replace(":", "__")] = value;
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
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                if (process!.HasExited) throw new InvalidOperationException($"The server exited with {process.ExitCode}:\n{Output}");
                try
                {
                    return (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, "the server to become ready", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{Output}");
        }
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

    public HttpClient Client(string? key = TestKeys.Admin) => IBanditsServer.ClientOf(BaseAddress, key);

    public async ValueTask DisposeAsync() => await KillAsync();

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
