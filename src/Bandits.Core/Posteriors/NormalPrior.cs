namespace Bandits.Core.Posteriors;

/// <summary>
/// Normal–Inverse-Gamma prior for an arm whose rewards are Normal with unknown mean and
/// variance, set by empirical Bayes so that it is invariant to the reward's scale.
/// </summary>
/// <remarks>
/// The prior of each arm is centred on the pooled mean of all arms' rewards, μ₀, with the
/// pooled variance as its variance scale σ₀²: (μ | σ²) ~ N(μ₀, σ²/κ₀), σ² ~ Scaled-Inv-χ²(ν₀, σ₀²).
/// Multiplying every reward by c multiplies μ₀ and σ₀ by c, and so every posterior: revenue
/// in cents and in thousands behave the same. Pooling also keeps an arm whose first rewards
/// happen to be equal (zero variance) from being starved. Posterior update: Gelman et al.,
/// Bayesian Data Analysis (3rd ed.), §3.3; Murphy (2007), "Conjugate Bayesian analysis of the
/// Gaussian distribution", §3.
/// </remarks>
public sealed record NormalPrior
{
    /// <summary>Creates a prior.</summary>
    /// <param name="meanWeight">κ₀ &gt; 0: how many observations the prior mean is worth.
    /// The default 0.01 barely shrinks, and makes an untried arm's mean ten pooled standard
    /// deviations wide, so new arms are explored promptly.</param>
    /// <param name="varianceWeight">ν₀ &gt; 0: how many observations the pooled variance is
    /// worth. The default 2 keeps an untried arm's Student-t posterior with a finite mean.</param>
    public NormalPrior(double meanWeight = 0.01, double varianceWeight = 2)
    {
        MeanWeight = Guard.Positive(meanWeight, nameof(meanWeight));
        VarianceWeight = Guard.Positive(varianceWeight, nameof(varianceWeight));
    }

    /// <summary>The default, weakly informative prior.</summary>
    public static NormalPrior Default { get; } = new();

    /// <summary>κ₀.</summary>
    public double MeanWeight { get; }

    /// <summary>ν₀.</summary>
    public double VarianceWeight { get; }

    /// <summary>
    /// The marginal posterior of the arm's mean, Student-t with νₙ degrees of freedom,
    /// location μₙ and scale σₙ/√κₙ, where κₙ = κ₀ + n, μₙ = (κ₀μ₀ + n x̄)/κₙ,
    /// νₙσₙ² = ν₀σ₀² + M2 + (κ₀n/κₙ)(x̄ − μ₀)² and νₙ = ν₀ + n − min(n, 1).
    /// </summary>
    /// <remarks>
    /// The conjugate update gives νₙ = ν₀ + n. Here σ₀² is estimated from the same rewards, so
    /// that would count one degree of freedom twice; with κ₀ ≈ 0 the mean is in effect
    /// unknown a priori and, as in the flat-mean-prior posterior (Gelman et al., eq. 3.5),
    /// estimating it spends one degree of freedom. Keeping it makes the interval the classical
    /// t-interval as n grows, with 95% frequentist coverage.
    /// </remarks>
    /// <param name="evidence">The arm's own rewards.</param>
    /// <param name="pooled">All arms' rewards together; sets μ₀ and σ₀².</param>
    public StudentTPosterior Posterior(ArmEvidence evidence, ArmEvidence pooled)
    {
        (double location, double scale, double freedom) = Parameters(evidence, pooled);
        return new StudentTPosterior(location, scale, freedom);
    }

    /// <summary>
    /// One draw from the posterior, without building a <see cref="StudentTPosterior"/> (whose
    /// density normaliser costs two log-gamma evaluations): Thompson sampling's hot path.
    /// </summary>
    public double SamplePosterior(ArmEvidence evidence, ArmEvidence pooled, Random random)
    {
        (double location, double scale, double freedom) = Parameters(evidence, pooled);
        return MathNet.Numerics.Distributions.StudentT.Sample(random, location, scale, freedom);
    }

    private (double Location, double Scale, double Freedom) Parameters(ArmEvidence evidence, ArmEvidence pooled)
    {
        double priorMean = pooled.Weight > 0 ? pooled.Mean : 0;
        double priorVariance = PriorVariance(pooled);
        double n = evidence.Weight;
        double kappa = MeanWeight + n;
        double mean = n > 0 ? (MeanWeight * priorMean + n * evidence.Mean) / kappa : priorMean;
        double nu = VarianceWeight + n - Math.Min(n, 1);
        double deviation = n > 0 ? evidence.Mean - priorMean : 0;
        double scaledSquares = VarianceWeight * priorVariance + evidence.SquaredDeviations
            + MeanWeight * n / kappa * deviation * deviation;
        return (mean, Math.Sqrt(scaledSquares / nu / kappa), nu);
    }

    /// <summary>
    /// σ₀²: the pooled (unbiased) variance. Until the rewards differ at all it has no scale to
    /// offer, so the square of the pooled mean stands in (still scale-invariant), or 1 when
    /// that is 0 too.
    /// </summary>
    private static double PriorVariance(ArmEvidence pooled)
    {
        double variance = pooled.Weight > 1 ? pooled.SquaredDeviations / (pooled.Weight - 1) : 0;
        if (variance > 0) return variance;
        double square = pooled.Mean * pooled.Mean;
        return square > 0 ? square : 1;
    }
}
