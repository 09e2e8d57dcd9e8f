using System.Net.Sockets;
using System.Text;

namespace Bandits.Server.Tests;

/// <summary>HTTP/1.1 written by hand on a socket: for requests that HttpClient refuses to send.</summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> as is and returns the status code, the Content-Type and the body (de-chunked).</summary>
    public static async Task<(int Status, string? ContentType, string Body)> SendAsync(Uri server, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string response = await reader.ReadToEndAsync(timeout.Token);

        string[] parts = response.Split("\r\n\r\n", 2);
        string[] head = parts[0].Split("\r\n");
        int status = int.Parse(head[0].Split(' ')[1]);
        string? contentType = head.Skip(1).Select(h => h.Split(':', 2)).Where(h => h[0].Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            .Select(h => h[1].Trim()).FirstOrDefault();
        bool chunked = head.Any(h => h.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && h.Contains("chunked"));
        return (status, contentType, chunked ? Dechunk(parts.ElementAtOrDefault(1) ?? "") : parts.ElementAtOrDefault(1) ?? "");
    }

    private static string Dechunk(string body)
    {
        var text = new StringBuilder();
        for (int at = 0; at < body.Length;)
        {
            int lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            int size = Convert.ToInt32(body[at..lineEnd], 16);
            if (size == 0) break;
            text.Append(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return text.ToString();
    }
}
