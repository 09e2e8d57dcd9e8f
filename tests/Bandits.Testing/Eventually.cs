using System.Diagnostics;

namespace Bandits.Testing;

/// <summary>Waiting for a condition, polled, with a deadline: instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Returns as soon as <paramref name="condition"/> holds; throws a <see cref="TimeoutException"/> naming <paramref name="what"/> if it does not within the timeout.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > (timeout ?? DefaultTimeout)) throw new TimeoutException($"Waited {elapsed.Elapsed.TotalSeconds:F1} s for {what}.");
            await Task.Delay(Poll);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Returns once the clock has passed <paramref name="moment"/>.</summary>
    public static Task UntilPastAsync(DateTimeOffset moment) =>
        UntilAsync(() => DateTimeOffset.UtcNow > moment, $"the clock to pass {moment:O}", moment - DateTimeOffset.UtcNow + DefaultTimeout);
}
