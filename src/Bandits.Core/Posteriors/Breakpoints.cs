namespace Bandits.Core.Posteriors;

/// <summary>Helpers that lay integration breakpoints over a density.</summary>
internal static class Breakpoints
{
    /// <summary>
    /// Steps of 0.75, 1.5, 3, 6, … scale units on each side of the centre: fine where the
    /// density bends most, doubling outwards, so heavy tails cost only a logarithmic number
    /// of pieces.
    /// </summary>
    public static void AddAroundCentre(List<double> breakpoints, double centre, double scale, double lower, double upper)
    {
        AddIfInside(breakpoints, centre, lower, upper);
        if (!(scale > 0)) return;
        for (double k = 0.75; ; k *= 2)
        {
            double left = centre - k * scale, right = centre + k * scale;
            AddIfInside(breakpoints, left, lower, upper);
            AddIfInside(breakpoints, right, lower, upper);
            if (left <= lower && right >= upper) break;
        }
    }

    public static void AddIfInside(List<double> breakpoints, double x, double lower, double upper)
    {
        if (x > lower && x < upper) breakpoints.Add(x);
    }
}
