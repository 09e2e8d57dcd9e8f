using System.Diagnostics;

namespace Bandits.Bench.Load;

/// <summary>
/// The intended send time of every request, fixed in advance by the rate and the arrival
/// process alone: nothing the server does moves it (open loop). Times are
/// <see cref="Stopwatch"/> timestamps.
/// </summary>
internal sealed class ArrivalSchedule(ArrivalProcess process, double ratePerSecond, long start, int seed)
{
    private readonly Random _random = new(seed);
    private readonly double _meanGapTicks = Stopwatch.Frequency / ratePerSecond;
    private double _next = start;

    /// <summary>The intended send time of the next request.</summary>
    public long Next()
    {
        long intended = (long)_next;
        _next += process == ArrivalProcess.Poisson ? -Math.Log(1 - _random.NextDouble()) * _meanGapTicks : _meanGapTicks;
        return intended;
    }
}
