using Bandits.Abstractions;
using Bandits.Core;
using Bandits.Core.Posteriors;
using MathNet.Numerics.Distributions;

namespace Bandits.Dashboard.Components.Charts;

/// <summary>
/// Each arm's posterior now, as a density curve: for binary rewards the Beta posterior of the
/// discounted evidence the table's mean and interval come from (the uniform prior updated with
/// <see cref="ArmStatisticsView.EffectiveRewardSum"/> successes in <see cref="ArmStatisticsView.EffectiveRewards"/>);
/// for continuous ones a normal with the arm's mean and the sd its 95% interval implies
/// ((upper − lower) / 3.92).
/// </summary>
public static class Posterior
{
    private const int Samples = 160;

    public static IReadOnlyList<ArmSeries<DensityPoint>> Densities(ExperimentStatistics statistics, RewardKind kind, IReadOnlyList<string> allArms)
    {
        IReadOnlyList<ArmStatisticsView> arms = statistics.Arms;
        var curves = arms.Select(a => (a.Arm, Pdf: Density(a, kind))).ToList();
        (double from, double to) = Domain(arms, kind);
        double step = (to - from) / (Samples - 1);
        return curves.Select(c => new ArmSeries<DensityPoint>(c.Arm, ArmPalette.Color(allArms, c.Arm),
            c.Pdf is null ? [] : Enumerable.Range(0, Samples).Select(k => from + k * step).Select(x => new DensityPoint(x, c.Pdf(x))).ToList())).ToList();
    }

    private static Func<double, double>? Density(ArmStatisticsView arm, RewardKind kind)
    {
        if (kind == RewardKind.Binary)
        {
            double weight = arm.EffectiveRewards;
            var evidence = new ArmEvidence(weight, weight > 0 ? Math.Clamp(arm.EffectiveRewardSum / weight, 0, 1) : 0, 0);
            return BetaPrior.Uniform.Posterior(evidence).Density;
        }
        double sd = (arm.Upper - arm.Lower) / 3.92;
        if (!double.IsFinite(sd) || sd <= 0 || !double.IsFinite(arm.Mean)) return null;
        var normal = new Normal(arm.Mean, sd);
        return normal.Density;
    }

    /// <summary>Where the curves have their mass: the arms' intervals widened by half, within [0, 1] for binary rewards.</summary>
    private static (double From, double To) Domain(IReadOnlyList<ArmStatisticsView> arms, RewardKind kind)
    {
        var finite = arms.Where(a => double.IsFinite(a.Lower) && double.IsFinite(a.Upper)).ToList();
        if (finite.Count == 0) return (0, 1);
        double lower = finite.Min(a => a.Lower), upper = finite.Max(a => a.Upper);
        double margin = Math.Max((upper - lower) / 2, 1e-6);
        (lower, upper) = (lower - margin, upper + margin);
        return kind == RewardKind.Binary ? (Math.Max(0, lower), Math.Min(1, upper)) : (lower, upper);
    }
}
