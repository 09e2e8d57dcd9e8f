using System.Diagnostics;
using System.Net;

namespace Bandits.Bench.Load;

/// <summary>
/// Sends requests at their intended times whatever the answers do (open loop): one thread
/// follows the schedule and starts each request without waiting for earlier ones. A request
/// that finds every connection busy waits for one, and its latency still runs from its
/// intended time. The run stops by itself: sends end with the window, and answers are awaited
/// for at most one timeout more.
/// </summary>
internal sealed class OpenLoopRun : IDisposable
{
    /// <summary>A request that leaves later than this after its intended time counts as late.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromMilliseconds(1);

    private readonly LoadSettings _settings;
    private readonly LoadReport _report;
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _connections;
    private readonly CancellationTokenSource _giveUp = new();
    private readonly long _lateTicks = Ticks(LateAfter);
    private long _inFlight;
    private long _windowStart, _windowEnd;

    public OpenLoopRun(LoadSettings settings)
    {
        _settings = settings;
        _report = new LoadReport(settings);
        _connections = new SemaphoreSlim(settings.Connections, settings.Connections);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = settings.Timeout,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
        };
        _client = new HttpClient(handler) { Timeout = settings.Timeout };
        settings.Request.AddHeadersTo(_client);
    }

    public LoadReport Execute()
    {
        long start = Stopwatch.GetTimestamp();
        _windowStart = start + Ticks(_settings.Warmup);
        _windowEnd = _windowStart + Ticks(_settings.Measured);
        var schedule = new ArrivalSchedule(_settings.Arrivals, _settings.Rate, start, _settings.Seed);
        for (long intended = schedule.Next(); intended < _windowEnd; intended = schedule.Next())
        {
            PreciseWait.Until(intended);
            bool measured = intended >= _windowStart;
            if (measured) _report.Intended();
            Interlocked.Increment(ref _inFlight);
            _ = SendAsync(intended, measured);
        }
        AwaitAnswers();
        return _report;
    }

    private async Task SendAsync(long intended, bool measured)
    {
        try
        {
            if (!_connections.Wait(0)) await _connections.WaitAsync(_giveUp.Token);
            try
            {
                if (measured && Stopwatch.GetTimestamp() - intended > _lateTicks) _report.Late();
                using var request = _settings.Request.Create();
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, _giveUp.Token);
                long answered = Stopwatch.GetTimestamp();
                if (answered >= _windowStart && answered < _windowEnd) _report.AnsweredInWindow();
                if (measured) _report.Answered((int)response.StatusCode, (answered - intended) * 1_000_000 / Stopwatch.Frequency);
            }
            finally
            {
                _connections.Release();
            }
        }
        catch (Exception)
        {
            // Failed: the report counts every measured request that got no answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Waits for the requests still in flight, at most one timeout; those given up on have failed.</summary>
    private void AwaitAnswers()
    {
        long deadline = Stopwatch.GetTimestamp() + Ticks(_settings.Timeout);
        while (Interlocked.Read(ref _inFlight) > 0 && Stopwatch.GetTimestamp() < deadline) Thread.Sleep(10);
        _giveUp.Cancel();
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public void Dispose()
    {
        _client.Dispose();
        _connections.Dispose();
        _giveUp.Dispose();
    }
}

