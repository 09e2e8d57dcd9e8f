namespace Bandits.Core.Posteriors;

/// <summary>
/// Beta(α, β) prior of a Bernoulli arm's mean. Beta(1, 1), uniform, is the default;
/// Beta(0.5, 0.5) is Jeffreys' prior.
/// </summary>
public sealed record BetaPrior
{
    /// <summary>Creates a prior; both parameters must be finite and greater than 0.</summary>
    public BetaPrior(double alpha = 1, double beta = 1)
    {
        Alpha = Guard.Positive(alpha, nameof(alpha));
        Beta = Guard.Positive(beta, nameof(beta));
    }

    /// <summary>The uniform prior Beta(1, 1).</summary>
    public static BetaPrior Uniform { get; } = new();

    /// <summary>Prior pseudo-successes α.</summary>
    public double Alpha { get; }

    /// <summary>Prior pseudo-failures β.</summary>
    public double Beta { get; }

    /// <summary>
    /// The conjugate posterior: α + Σr, β + Σ(1 − r), which for fractional rewards is the
    /// usual "α += r, β += 1 − r" update (Agrawal &amp; Goyal 2012, §2).
    /// </summary>
    public BetaPosterior Posterior(ArmEvidence evidence)
    {
        (double alpha, double beta) = Parameters(evidence);
        return new BetaPosterior(alpha, beta);
    }

    /// <summary>
    /// One draw from the posterior, without building a <see cref="BetaPosterior"/> (whose
    /// density normaliser costs three log-gamma evaluations): Thompson sampling's hot path.
    /// </summary>
    public double SamplePosterior(ArmEvidence evidence, Random random)
    {
        (double alpha, double beta) = Parameters(evidence);
        return MathNet.Numerics.Distributions.Beta.Sample(random, alpha, beta);
    }

    private (double Alpha, double Beta) Parameters(ArmEvidence evidence) =>
        (Alpha + evidence.Sum, Beta + Math.Max(0, evidence.Weight - evidence.Sum));
}
