using Bandits.Core.Policies;

namespace Bandits.Core.Simulation;

/// <summary>
/// The Lai–Robbins lower bound (Lai &amp; Robbins 1985, Theorem 2) for Bernoulli arms: any
/// consistent policy has regret at least C·ln T asymptotically, with
/// C = Σ over suboptimal arms of Δᵢ / kl(μᵢ, μ*).
/// </summary>
public static class LaiRobbins
{
    /// <summary>The constant C for arms with these means (0 if all are equal).</summary>
    public static double BernoulliConstant(IEnumerable<double> means)
    {
        ArgumentNullException.ThrowIfNull(means);
        double[] all = means.ToArray();
        if (all.Length == 0) throw new ArgumentException("At least one arm is needed.", nameof(means));
        double best = all.Max();
        if (best >= 1) best = 1 - 1e-12;
        double constant = 0;
        foreach (double mean in all)
            if (mean < best) constant += (best - mean) / KlUcbPolicy.Divergence(mean, best);
        return constant;
    }

    /// <summary>C·ln T.</summary>
    public static double BernoulliBound(IEnumerable<double> means, long horizon) =>
        BernoulliConstant(means) * Math.Log(horizon);
}
