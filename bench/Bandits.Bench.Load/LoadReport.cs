using System.Globalization;
using HdrHistogram;

namespace Bandits.Bench.Load;

/// <summary>
/// What one measured window gave: counts, and the latency of every answered request from its
/// intended send time (so that a server stall counts against every request it held up, not
/// only the few that were sent during it: no coordinated omission).
/// </summary>
internal sealed class LoadReport(LoadSettings settings)
{
    /// <summary>Microseconds, 1 µs to one hour, three significant digits; safe to record from many threads.</summary>
    private readonly LongConcurrentHistogram _latency = new(1, 3_600_000_000, 3);
    private long _requests, _late, _answered, _non2xx, _answeredInWindow;

    /// <summary>Requests whose intended send time fell in the measured window.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Measured requests without an answer: the connection failed, or no answer came in time.</summary>
    public long Failed => Interlocked.Read(ref _requests) - Interlocked.Read(ref _answered);

    /// <summary>Failed requests and answers other than 2xx.</summary>
    public long Errors => Interlocked.Read(ref _non2xx) + Failed;

    public void Intended() => Interlocked.Increment(ref _requests);

    /// <summary>The request left more than <see cref="OpenLoopRun.LateAfter"/> after its intended time: the generator fell behind, or every connection was busy.</summary>
    public void Late() => Interlocked.Increment(ref _late);

    public void Answered(int status, long latencyMicroseconds)
    {
        Interlocked.Increment(ref _answered);
        if (status is < 200 or > 299) Interlocked.Increment(ref _non2xx);
        _latency.RecordValue(Math.Clamp(latencyMicroseconds, 1, _latency.HighestTrackableValue));
    }

    /// <summary>An answer (to any request, warm-up's included) arrived inside the measured window: counts for the rate reached.</summary>
    public void AnsweredInWindow() => Interlocked.Increment(ref _answeredInWindow);

    /// <summary>One line of name=value pairs, for scripts; latencies in milliseconds.</summary>
    public string ToLine() => string.Join(' ', Fields().Select(f => $"{f.Name}={f.Value}"));

    /// <summary>The same figures for people.</summary>
    public string ToText() =>
        $"""
        open loop: {settings.Rate:0} req/s intended ({settings.Arrivals.ToString().ToLowerInvariant()} arrivals), {settings.Measured.TotalSeconds:0.#} s measured after {settings.Warmup.TotalSeconds:0.#} s of warm-up, at most {settings.Connections} connections
          requests {_requests}, late {_late}, answered {_answered} ({Rate:0} req/s reached), non-2xx {_non2xx}, failed {Failed}
          latency from the intended send time: p50 {Ms(50)} ms, p90 {Ms(90)} ms, p99 {Ms(99)} ms, p99.9 {Ms(99.9)} ms, max {MaxMs} ms
        """;

    private double Rate => _answeredInWindow / settings.Measured.TotalSeconds;

    private string MaxMs => Format(_latency.TotalCount == 0 ? 0 : _latency.GetMaxValue() / 1000.0);

    private string Ms(double percentile) => Format(_latency.TotalCount == 0 ? 0 : _latency.GetValueAtPercentile(percentile) / 1000.0);

    private IEnumerable<(string Name, string Value)> Fields()
    {
        yield return ("target_rate", Format(settings.Rate));
        yield return ("rate", Format(Rate));
        yield return ("requests", _requests.ToString(CultureInfo.InvariantCulture));
        yield return ("late", _late.ToString(CultureInfo.InvariantCulture));
        yield return ("answered", _answered.ToString(CultureInfo.InvariantCulture));
        yield return ("non2xx", _non2xx.ToString(CultureInfo.InvariantCulture));
        yield return ("failed", Failed.ToString(CultureInfo.InvariantCulture));
        yield return ("p50_ms", Ms(50));
        yield return ("p90_ms", Ms(90));
        yield return ("p99_ms", Ms(99));
        yield return ("p99_9_ms", Ms(99.9));
        yield return ("max_ms", MaxMs);
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
