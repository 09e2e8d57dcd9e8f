using Bandits.Abstractions;
using Bandits.Core;
using Bandits.Core.Policies;
using Bandits.Core.Statistics;
using Bandits.Dashboard.Components.Charts;

namespace Bandits.Dashboard.Tests;

/// <summary>The "Posterior now" chart draws the posterior the table reads its mean and interval from.</summary>
public sealed class PosteriorChartTests
{
    [Fact]
    public void WithDiscountingTheCurvesHaveTheTablesMeansAndIntervals()
    {
        // γ = 0.99 over 2,000 rewards: the evidence weighs about 100 rewards, not 1,000 per arm, so
        // a curve of the undiscounted totals is ten times too narrow and centred on the old rate.
        var state = new BanditState(RewardKind.Binary, discount: 0.99);
        int a = state.AddArm("a"), b = state.AddArm("b");
        var random = new Random(7);
        for (int step = 0; step < 2_000; step++)
        {
            double rate = step < 1_500 ? 0.2 : 0.6; // arm a improves late: discounting follows it
            state.Observe(step % 2 == 0 ? a : b, random.NextDouble() < (step % 2 == 0 ? rate : 0.3) ? 1 : 0);
        }
        ArmSummary[] summaries = PosteriorStatistics.Summarize(state);
        var statistics = new ExperimentStatistics
        {
            ExperimentId = "discounted",
            Policy = PolicyKind.Thompson,
            TotalDecisions = 2_000,
            TotalRewards = 2_000,
            UpdatedAt = DateTimeOffset.UnixEpoch,
            Arms = [.. summaries.Select(s => ArmStatisticsView.Of(s, 1_000, 0.5))],
        };
        Assert.True(statistics.Arms[0].EffectiveRewards < 60, "the discount applies: about 50 rewards' weight per arm");

        var curves = Posterior.Densities(statistics, RewardKind.Binary, ["a", "b"]);

        foreach ((ArmSeries<DensityPoint> curve, ArmStatisticsView arm) in curves.Zip(statistics.Arms))
        {
            // The trapezoid rule over the drawn points: their grid is 1/160 of the domain, so the
            // moments and quantiles agree with the table's to within about one grid step.
            double[] x = [.. curve.Points.Select(p => p.X)], pdf = [.. curve.Points.Select(p => p.Density)];
            double step = x[1] - x[0];
            double mass = 0, mean = 0;
            var cumulative = new double[x.Length];
            for (int i = 1; i < x.Length; i++)
            {
                double slice = (pdf[i] + pdf[i - 1]) / 2 * step;
                mass += slice;
                mean += (x[i] * pdf[i] + x[i - 1] * pdf[i - 1]) / 2 * step;
                cumulative[i] = mass;
            }
            Assert.InRange(mass, 0.99, 1.01);
            Assert.InRange(mean / mass, arm.Mean - step, arm.Mean + step);
            double Quantile(double p) => x[Array.FindIndex(cumulative, c => c >= p * mass)];
            Assert.InRange(Quantile(0.025), arm.Lower - 2 * step, arm.Lower + 2 * step);
            Assert.InRange(Quantile(0.975), arm.Upper - 2 * step, arm.Upper + 2 * step);
        }
    }
}
