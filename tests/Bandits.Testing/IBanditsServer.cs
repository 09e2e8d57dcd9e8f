using System.Net.Http.Headers;

namespace Bandits.Testing;

/// <summary>A running test server, in the test process or as its own process.</summary>
public interface IBanditsServer
{
    /// <summary>Its HTTP/1.1 address on 127.0.0.1.</summary>
    Uri BaseAddress { get; }

    /// <summary>A client that sends <paramref name="key"/> as its bearer token (none when null).</summary>
    HttpClient Client(string? key = TestKeys.Admin);

    /// <summary>A client of <paramref name="server"/> with <paramref name="key"/> as its bearer token, if any.</summary>
    static HttpClient ClientOf(Uri server, string? key)
    {
        var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
