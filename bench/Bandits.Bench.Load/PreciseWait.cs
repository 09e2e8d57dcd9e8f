using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Bandits.Bench.Load;

/// <summary>
/// Waits until a <see cref="Stopwatch"/> timestamp without spinning: at tens of thousands of
/// requests a second the gaps are tens of microseconds, below <see cref="Thread.Sleep(int)"/>'s
/// millisecond, and a spinning thread would take a core from the server it measures. Linux's
/// nanosleep wakes within about 50–100 µs; elsewhere the wait falls back to whole milliseconds.
/// </summary>
internal static class PreciseWait
{
    private static readonly long OneMillisecond = Stopwatch.Frequency / 1000;

    public static void Until(long timestamp)
    {
        while (true)
        {
            long remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0) return;
            if (remaining > 2 * OneMillisecond || !OperatingSystem.IsLinux()) Thread.Sleep(1);
            else Sleep(remaining * 1_000_000_000 / Stopwatch.Frequency);
        }
    }

    private static void Sleep(long nanoseconds)
    {
        var request = new Timespec { Seconds = 0, Nanoseconds = (nint)nanoseconds };
        _ = NanoSleep(ref request, 0);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "nanosleep")]
    private static extern int NanoSleep(ref Timespec request, nint remaining);
}
