using System.Globalization;

namespace Bandits.Grains.Analysis;

/// <summary>Numbers in the recommendation's reason and the health's warnings, written for people.</summary>
internal static class PlainNumbers
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A share as a percentage: 97.8%, 5%; under 0.01% says so.</summary>
    public static string Percent(double share) =>
        share > 0 && share < 0.0001 ? "under 0.01%" : share.ToString(share < 0.01 ? "0.##%" : "0.#%", Invariant);

    /// <summary>An amount of reward: 1,234, 12.5, 0.0014, or 8.3 × 10⁻⁶ when it is tiny.</summary>
    public static string Amount(double value)
    {
        double size = Math.Abs(value);
        if (size == 0) return "0";
        if (size >= 1000) return value.ToString("#,##0", Invariant);
        if (size >= 1) return value.ToString("0.##", Invariant);
        if (size >= 0.0001) return value.ToString("0.####", Invariant);
        int exponent = (int)Math.Floor(Math.Log10(size));
        return $"{(value / Math.Pow(10, exponent)).ToString("0.#", Invariant)} × 10{Superscript(exponent)}";
    }

    private static string Superscript(int exponent) =>
        string.Concat(exponent.ToString(Invariant).Select(c => c == '-' ? '⁻' : "⁰¹²³⁴⁵⁶⁷⁸⁹"[c - '0']));
}
