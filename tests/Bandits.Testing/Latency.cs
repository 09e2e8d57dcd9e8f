using System.Diagnostics;

namespace Bandits.Testing;

/// <summary>The benchmarks' timings of sequential requests: milliseconds, sorted, and their percentiles.</summary>
public sealed class Latency
{
    private readonly double[] milliseconds;

    private Latency(double[] milliseconds) => this.milliseconds = milliseconds;

    /// <summary>Times <paramref name="requests"/> calls of <paramref name="request"/>, one after another.</summary>
    public static async Task<Latency> MeasureAsync(int requests, Func<Task> request)
    {
        var milliseconds = new double[requests];
        for (int i = 0; i < requests; i++)
        {
            long started = Stopwatch.GetTimestamp();
            await request();
            milliseconds[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(milliseconds);
        return new Latency(milliseconds);
    }

    /// <summary>The nearest-rank percentile: the smallest timing at or above that share of them.</summary>
    public double At(double quantile) => milliseconds[Math.Clamp((int)Math.Ceiling(quantile * milliseconds.Length) - 1, 0, milliseconds.Length - 1)];

    public double Max => milliseconds[^1];
}
