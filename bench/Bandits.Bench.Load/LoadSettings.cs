namespace Bandits.Bench.Load;

/// <summary>One open-loop run, as the command line gave it.</summary>
internal sealed record LoadSettings
{
    public required RequestTemplate Request { get; init; }

    /// <summary>Intended requests per second.</summary>
    public required double Rate { get; init; }

    public required TimeSpan Measured { get; init; }

    /// <summary>Sent at the same rate before <see cref="Measured"/>, and not recorded.</summary>
    public required TimeSpan Warmup { get; init; }

    public required ArrivalProcess Arrivals { get; init; }

    public required int Seed { get; init; }

    /// <summary>Most requests in flight at once, one connection each (HTTP/1.1).</summary>
    public required int Connections { get; init; }

    /// <summary>A request unanswered for this long fails.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Failed and non-2xx answers over this share of the measured requests fail the run.</summary>
    public required double MaxErrorRatio { get; init; }
}
