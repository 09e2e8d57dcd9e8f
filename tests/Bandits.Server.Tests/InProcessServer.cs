using System.Net;
using Bandits.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Bandits.Server.Tests;

/// <summary>
/// The server hosted in the test process (WebApplicationFactory) on Kestrel, so that requests
/// travel real sockets: HTTP/1.1 on <see cref="BaseAddress"/> and HTTP/2 with prior knowledge on
/// <see cref="Http2Address"/>. Each has its own ports, cluster id and data directory or database.
/// </summary>
public sealed class InProcessServer : WebApplicationFactory<Program>, IBanditsServer
{
    private readonly Dictionary<string, string> settings;

    static InProcessServer()
    {
        // The server takes its content root from its binary's directory (here the tests'); the
        // factory would move it to the project directory, which a WebApplication refuses.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BANDITS_SERVER", AppContext.BaseDirectory);
    }

    public InProcessServer(string dataDirectory, string? postgres, IReadOnlyDictionary<string, string>? extra = null)
    {
        int http = FreePorts.Next(), http2 = FreePorts.Next();
        settings = ServerSettings.Create(dataDirectory, postgres, http);
        foreach ((string key, string value) in extra ?? new Dictionary<string, string>()) settings[key] = value;
        BaseAddress = new Uri($"http://127.0.0.1:{http}");
        Http2Address = new Uri($"http://127.0.0.1:{http2}");
        // Cleartext HTTP/2 needs an endpoint of its own: Kestrel's Http1AndHttp2 speaks only
        // HTTP/1.1 without TLS (no ALPN to choose by).
        UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, http);
            kestrel.Listen(IPAddress.Loopback, http2, listen => listen.Protocols = HttpProtocols.Http2);
        });
    }

    public Uri BaseAddress { get; }

    public Uri Http2Address { get; }

    public HttpClient Client(string? key = TestKeys.Admin) => IBanditsServer.ClientOf(BaseAddress, key);

    /// <summary>Starts the server and waits until it is ready.</summary>
    public async Task StartAsync()
    {
        StartServer();
        using HttpClient client = Client(key: null);
        await Eventually.UntilAsync(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "the server to become ready");
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // As host settings, which reach the server as command-line arguments: it reads some
        // (storage, keys, cluster) before it builds its host, when later settings would be too late.
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(settings!));
        return base.CreateHost(builder);
    }
}
