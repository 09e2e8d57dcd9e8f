using System.Text.Json.Nodes;

namespace Bandits.Testing;

/// <summary>Reads a text/event-stream the way a browser's EventSource does: events of "event:" and "data:" lines; comment lines skipped.</summary>
public sealed class ServerSentEvents(Stream stream) : IDisposable
{
    private readonly StreamReader reader = new(stream);
    private Task<string?>? pending;

    /// <summary>Comment lines (heartbeats) seen so far.</summary>
    public int Comments { get; private set; }

    /// <summary>The next event's type and data, within <paramref name="timeout"/> (10 s by default).</summary>
    public async Task<(string Type, JsonNode Data)> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        string type = "message";
        var data = new List<string>();
        while (true)
        {
            string? line = await ReadLineAsync(deadline.Token) ?? throw new EndOfStreamException("The stream ended before the next event.");
            if (line.Length == 0)
            {
                if (data.Count > 0) return (type, JsonNode.Parse(string.Join('\n', data))!);
                continue;
            }
            if (line.StartsWith(':')) Comments++;
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Add(line["data: ".Length..]);
        }
    }

    /// <summary>Whether the server closed the stream within <paramref name="timeout"/>.</summary>
    public async Task<bool> EndedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (await ReadLineAsync(deadline.Token) is not null)
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => reader.Dispose();

    /// <summary>A read that outlives a timed-out wait is kept for the next call, not lost.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        pending ??= reader.ReadLineAsync();
        string? line = await pending.WaitAsync(cancellationToken);
        pending = null;
        return line;
    }
}
