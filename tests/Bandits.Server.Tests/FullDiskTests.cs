using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Bandits.Testing;

namespace Bandits.Server.Tests;

/// <summary>
/// The embedded database on a disk that fills up: writes are refused (503, nothing acknowledged),
/// readiness turns 503 with the reason while reads go on, and all is well again once space is freed.
/// The disk is a small tmpfs, mounted by the test (it runs as root, as CI does).
/// </summary>
public sealed class FullDiskTests : IAsyncLifetime
{
    private readonly string mount = Directory.CreateTempSubdirectory("bandits-full-disk-").FullName;
    private InProcessServer server = null!;

    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("This test mounts a small tmpfs to fill it, which needs root (as ./build.sh test runs in CI).");
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount);
        server = new InProcessServer(Path.Combine(mount, "data"), postgres: null, ServerSettings.Fast);
        await server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await RunAsync("umount", "--lazy", mount);
        Directory.Delete(mount, recursive: true);
    }

    [Fact]
    public async Task ReadinessFollowsWhetherTheDatabaseTakesWritesAndReadsGoOn()
    {
        HttpClient admin = server.Client(), probe = server.Client(key: null);
        string id = Http.NewId(), idle = Http.NewId();
        (await admin.PutExperiment(id, new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();
        (await admin.PutExperiment(idle, new { arms = new[] { "a", "b" } })).EnsureSuccessStatusCode();
        await admin.Reward(id, Enumerable.Range(0, 100).Select(i => new { arm = "a", reward = i % 2 }).ToArray());
        await admin.Reward(idle, new[] { new { arm = "b", reward = 1 } });
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/ready")).StatusCode);

        string filler = Path.Combine(mount, "filler");
        Fill(filler);
        // The log's files may still have room of their own: write until the disk refuses.
        long acknowledged = 100;
        HttpStatusCode status = HttpStatusCode.OK;
        for (int attempt = 0; attempt < 200 && status == HttpStatusCode.OK; attempt++)
        {
            var batch = Enumerable.Range(0, 1000).Select(_ => new { arm = "b", reward = 1 }).ToArray();
            HttpResponseMessage response = await admin.PostAsync($"/v1/experiments/{id}/rewards", Http.Json(batch));
            status = response.StatusCode;
            if (status == HttpStatusCode.OK) acknowledged += 1000;
            else await Problem.Assert(response, HttpStatusCode.ServiceUnavailable);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);

        // Readiness tells why within a few seconds; liveness does not change.
        HttpResponseMessage ready = null!;
        await Eventually.UntilAsync(async () => (ready = await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            "readiness to report the failing writes", TimeSpan.FromSeconds(5));
        JsonNode notReady = await Problem.Assert(ready, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("does not accept writes", (string)notReady["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/live")).StatusCode);

        // Reads go on: the experiment that failed to write, one never loaded since, and the list.
        Assert.Equal(acknowledged, (long)(await admin.Stats(id))["totalRewards"]!);
        Assert.Equal(1, (long)(await admin.Stats(idle))["totalRewards"]!);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/experiments")).StatusCode);

        File.Delete(filler);
        await Eventually.UntilAsync(async () => (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "readiness once space is freed");
        // The activation that could only read gives way at the first write, which answers 503 (retry).
        await Eventually.UntilAsync(async () =>
            (await admin.PostAsync($"/v1/experiments/{id}/rewards", Http.Json(new { arm = "a", reward = 1 }))).StatusCode == HttpStatusCode.OK,
            "a reward to be accepted again");
        Assert.Equal(acknowledged + 1, (long)(await admin.Stats(id))["totalRewards"]!);
    }

    private static void Fill(string path)
    {
        byte[] chunk = new byte[64 * 1024];
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
            while (true) stream.Write(chunk);
        }
        catch (IOException)
        {
            // The disk is full.
        }
    }

    private static async Task RunAsync(string command, params string[] arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed: {error}");
    }
}
