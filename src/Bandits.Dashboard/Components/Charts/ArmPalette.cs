namespace Bandits.Dashboard.Components.Charts;

/// <summary>
/// Arm colours: each at least 4.5:1 against white (WCAG AA for text, above the 3:1 asked of
/// graphics), and distinguishable with the common colour-vision deficiencies (after Okabe–Ito,
/// darkened). An arm keeps its colour on every chart and in the table.
/// </summary>
public static class ArmPalette
{
    private static readonly string[] Colors =
        ["#0057b7", "#c2410c", "#047857", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d", "#4d7c0f", "#475569"];

    public static string Color(int armIndex) => Colors[armIndex % Colors.Length];

    /// <summary>The colour of <paramref name="arm"/> by its place among every arm the experiment ever had.</summary>
    public static string Color(IReadOnlyList<string> allArms, string arm)
    {
        for (int i = 0; i < allArms.Count; i++) if (allArms[i] == arm) return Color(i);
        return Color(allArms.Count);
    }
}
