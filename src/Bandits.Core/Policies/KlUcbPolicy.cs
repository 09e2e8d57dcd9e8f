namespace Bandits.Core.Policies;

/// <summary>
/// KL-UCB for Bernoulli rewards (Garivier &amp; Cappé 2011, "The KL-UCB algorithm for bounded
/// stochastic bandits and beyond", eq. (2)): the index of arm i is the largest q ∈ [x̄ᵢ, 1]
/// with nᵢ·kl(x̄ᵢ, q) ≤ ln t + c·ln ln t, kl being the Bernoulli Kullback–Leibler divergence.
/// It matches the Lai–Robbins bound asymptotically. The paper proves it for c = 3 and
/// recommends c = 0 in practice, the default here.
/// </summary>
public sealed class KlUcbPolicy : IndexPolicy
{
    /// <summary>Creates KL-UCB with the exploration constant c ≥ 0.</summary>
    public KlUcbPolicy(double c = 0) => C = Guard.NonNegative(c, nameof(c));

    /// <summary>The exploration constant c of the ln ln t term.</summary>
    public double C { get; }

    /// <inheritdoc />
    public override string Name => "kl-ucb";

    /// <inheritdoc />
    protected override void ComputeIndices(BanditState state, Span<double> indices)
    {
        if (state.RewardKind != RewardKind.Binary)
            throw new NotSupportedException("KL-UCB is defined here for binary rewards only; use thompson or ucb1 for continuous rewards.");
        double logT = Math.Log(Math.Max(1, state.ActiveWeight()));
        double budget = logT + (C > 0 && logT > 1 ? C * Math.Log(logT) : 0);
        for (int i = 0; i < state.ArmCount; i++)
        {
            ArmEvidence e = state.Evidence(i);
            indices[i] = e.Weight > 0 ? UpperConfidence(e.Mean, budget / e.Weight) : double.PositiveInfinity;
        }
    }

    /// <summary>The largest q ∈ [p, 1] with kl(p, q) ≤ d.</summary>
    /// <remarks>
    /// Newton's method on the convex, increasing q ↦ kl(p, q) − d, started to the right of
    /// the root at Pinsker's bound p + √(d/2) (kl(p, q) ≥ 2(q − p)²), so the iterates fall
    /// monotonically onto the root in a handful of steps. When that bound reaches 1 the
    /// divergence's log-singularity at q = 1 would make Newton crawl, so bisection is used.
    /// </remarks>
    public static double UpperConfidence(double p, double d)
    {
        p = Math.Clamp(p, 0, 1);
        if (!(d > 0) || p >= 1) return p;
        double q = p + Math.Sqrt(d / 2);
        if (q >= 1) return Bisect(p, d);
        for (int iteration = 0; iteration < 30; iteration++)
        {
            double excess = Divergence(p, q) - d;
            if (excess <= 1e-13) break;
            double next = q - excess * q * (1 - q) / (q - p);
            if (!(next < q)) break;
            q = Math.Max(next, p);
        }
        return q;
    }

    private static double Bisect(double p, double d)
    {
        double low = p, high = 1;
        for (int iteration = 0; iteration < 50 && high - low > 1e-12; iteration++)
        {
            double middle = (low + high) / 2;
            if (Divergence(p, middle) > d) high = middle;
            else low = middle;
        }
        return low;
    }

    /// <summary>Bernoulli Kullback–Leibler divergence kl(p, q), with 0·ln 0 = 0.</summary>
    public static double Divergence(double p, double q)
    {
        double result = 0;
        if (p > 0) result += p * Math.Log(p / q);
        if (p < 1) result += (1 - p) * Math.Log((1 - p) / (1 - q));
        return result;
    }
}
