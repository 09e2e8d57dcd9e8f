namespace Bandits.Core.Posteriors;

/// <summary>
/// A point where the integration of <see cref="ProbabilityOfBeingBest"/> may cut the domain,
/// and the widest gap to its neighbours that the density which asked for it tolerates.
/// </summary>
public readonly record struct Breakpoint(double X, double Resolution);

/// <summary>Helpers that lay integration breakpoints over a density.</summary>
internal static class Breakpoints
{
    /// <summary>
    /// Steps of 0.75, 1.5, 3, 6, … scale units on each side of the centre: fine where the
    /// density bends most, doubling outwards, so heavy tails cost only a logarithmic number
    /// of pieces.
    /// </summary>
    public static void AddAroundCentre(List<Breakpoint> breakpoints, double centre, double scale, double lower, double upper)
    {
        if (!(scale > 0))
        {
            AddIfInside(breakpoints, centre, upper - lower, lower, upper);
            return;
        }
        AddIfInside(breakpoints, centre, 0.75 * scale, lower, upper);
        double inner = 0;
        for (double k = 0.75; ; k *= 2)
        {
            double left = centre - k * scale, right = centre + k * scale;
            double gap = (k - inner) * scale;
            AddIfInside(breakpoints, left, gap, lower, upper);
            AddIfInside(breakpoints, right, gap, lower, upper);
            if (left <= lower && right >= upper) break;
            inner = k;
        }
    }

    public static void AddIfInside(List<Breakpoint> breakpoints, double x, double resolution, double lower, double upper)
    {
        if (x > lower && x < upper) breakpoints.Add(new Breakpoint(x, resolution));
    }

    /// <summary>
    /// Sorts the points and drops those closer to the last kept one than half the finer of
    /// their two resolutions. Many arms with similar posteriors then share one set of pieces
    /// instead of each adding its own, which keeps the cost near O(K) per piece rather than
    /// O(K²) overall; a narrow density still keeps its fine points.
    /// </summary>
    public static List<double> Thin(List<Breakpoint> breakpoints, double lower, double upper)
    {
        breakpoints.Sort((a, b) => a.X.CompareTo(b.X));
        var kept = new List<double>(breakpoints.Count + 2) { lower };
        double lastResolution = double.PositiveInfinity;
        foreach (Breakpoint point in breakpoints)
        {
            if (point.X - kept[^1] >= 0.5 * Math.Min(point.Resolution, lastResolution))
            {
                kept.Add(point.X);
                lastResolution = point.Resolution;
            }
            else
            {
                lastResolution = Math.Min(lastResolution, point.Resolution);
            }
        }
        if (upper > kept[^1]) kept.Add(upper);
        return kept;
    }
}
