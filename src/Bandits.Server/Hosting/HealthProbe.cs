namespace Bandits.Server.Hosting;

/// <summary>
/// <c>dotnet Bandits.Server.dll healthcheck</c>: asks this machine's server for /health/ready and
/// exits 0 when ready. Container health checks use it, as the runtime image has no curl.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(IConfiguration configuration)
    {
        string url = (configuration[WebHostDefaults.ServerUrlsKey] ?? HostingSetup.DefaultUrl).Split(';')[0];
        // A server listening on every address is reached on the loopback one.
        var uri = new UriBuilder(url.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "127.0.0.1";
        uri.Path = "/health/ready";
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using HttpResponseMessage response = await http.GetAsync(uri.Uri);
            Console.WriteLine($"{uri.Uri}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{uri.Uri}: {e.Message}");
            return 1;
        }
    }
}
