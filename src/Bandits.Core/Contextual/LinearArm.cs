namespace Bandits.Core.Contextual;

/// <summary>
/// One arm's ridge regression of its reward on the context, the evidence of the disjoint
/// linear policies (LinUCB, Li et al. 2010; linear Thompson sampling, Agrawal &amp; Goyal 2013):
/// the precision A = λI + Σ xxᵀ, the vector b = Σ r·x, the estimate θ̂ = A⁻¹b, and the
/// variance of a prediction xᵀA⁻¹x, with every observation's weight discounted as the state's
/// clock runs (<see cref="Decay"/>).
/// </summary>
/// <remarks>
/// An observation costs O(D²) and allocates nothing: A⁻¹ is kept up to date by the
/// Sherman–Morrison formula and θ̂ by the recursive least-squares step. Rank-one updates add up
/// rounding errors, so every <see cref="RefactorEvery"/> observations A⁻¹ and θ̂ are computed
/// afresh from A and b (a Cholesky factorisation and its inverse, in place: O(D³), a few
/// microseconds at D = 16). A discount scales A and b alike, the prior λI with them; the prior's
/// weight is topped up to λ at the next refactorisation, which comes early once it has fallen
/// below λ/2. So the prior weighs between λ/2 and λ, and without discount exactly λ.
/// </remarks>
public sealed class LinearArm
{
    /// <summary>Observations between two refactorisations of A⁻¹.</summary>
    public const int RefactorEvery = 4096;

    // Below this a decay forgets everything: A⁻¹ would be scaled by more than 10¹⁰⁰.
    private const double MinimumFactor = 1e-100;

    private readonly double[] precision;  // A, D×D row-major: what A⁻¹ is refactored from
    private readonly double[] covariance; // A⁻¹, D×D row-major
    private readonly double[] moment;     // b
    private readonly double[] estimate;   // θ̂ = A⁻¹b
    private readonly double[] scratch;    // A⁻¹x during an update
    private double priorWeight;           // the multiple of I in A that is prior, not evidence
    private int sinceRefactor;

    /// <summary>An arm with no evidence: A = λI, b = 0.</summary>
    /// <param name="dimension">D, the length of every context (its constant term included).</param>
    /// <param name="ridge">λ &gt; 0, the prior's precision.</param>
    public LinearArm(int dimension, double ridge)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        Ridge = Guard.Positive(ridge, nameof(ridge));
        precision = new double[dimension * dimension];
        covariance = new double[dimension * dimension];
        moment = new double[dimension];
        estimate = new double[dimension];
        scratch = new double[dimension];
        priorWeight = ridge;
        for (int i = 0; i < dimension; i++)
        {
            precision[i * dimension + i] = ridge;
            covariance[i * dimension + i] = 1 / ridge;
        }
    }

    /// <summary>D, the length of every context.</summary>
    public int Dimension { get; }

    /// <summary>λ, the prior's precision.</summary>
    public double Ridge { get; }

    /// <summary>The discounted number of observations.</summary>
    public double Evidence { get; private set; }

    /// <summary>θ̂, the estimated coefficients.</summary>
    public ReadOnlySpan<double> Estimate => estimate;

    /// <summary>A, for persistence.</summary>
    public ReadOnlySpan<double> Precision => precision;

    /// <summary>b, for persistence.</summary>
    public ReadOnlySpan<double> Moment => moment;

    /// <summary>How much of A's diagonal is the prior (λ, or less after discounting), for persistence.</summary>
    public double PriorWeight => priorWeight;

    /// <summary>xᵀθ̂: the predicted reward in context <paramref name="context"/>.</summary>
    public double Predict(ReadOnlySpan<double> context) => Dot(context, estimate);

    /// <summary>xᵀA⁻¹x: the variance of <see cref="Predict"/>, up to the noise's scale.</summary>
    public double Variance(ReadOnlySpan<double> context)
    {
        int d = Dimension;
        double sum = 0;
        for (int i = 0; i < d; i++)
        {
            // A⁻¹ is symmetric: the diagonal once, each pair below it twice.
            ReadOnlySpan<double> row = covariance.AsSpan(i * d, i);
            double below = 0;
            for (int j = 0; j < i; j++) below += row[j] * context[j];
            sum += context[i] * (2 * below + covariance[i * d + i] * context[i]);
        }
        return Math.Max(sum, 0); // rounding must not make it negative
    }

    /// <summary>
    /// Multiplies every observation's weight (and the prior's) by <paramref name="factor"/> ∈ [0, 1].
    /// A factor too small to scale by (γ to the power of a long idle time underflows) forgets
    /// every observation: the arm is back to its prior.
    /// </summary>
    public void Decay(double factor)
    {
        if (factor == 1) return;
        Guard.Probability(factor, nameof(factor));
        if (factor < MinimumFactor)
        {
            Forget();
            return;
        }
        // θ̂ = A⁻¹b is unchanged when A and b are scaled alike.
        Scale(precision, factor);
        Scale(covariance, 1 / factor);
        Scale(moment, factor);
        priorWeight *= factor;
        Evidence *= factor;
        if (priorWeight < Ridge / 2) Refactor();
    }

    /// <summary>Adds an observation: reward <paramref name="reward"/> in context <paramref name="context"/>.</summary>
    /// <exception cref="ArgumentException">The context has another length, or a value that is not finite.</exception>
    public void Observe(ReadOnlySpan<double> context, double reward)
    {
        CheckContext(context);
        Guard.Finite(reward, nameof(reward));
        int d = Dimension;
        Span<double> u = scratch;
        for (int i = 0; i < d; i++) u[i] = Dot(covariance.AsSpan(i * d, d), context); // u = A⁻¹x
        double gain = 1 + Dot(context, u);
        double error = reward - Dot(context, estimate);
        for (int i = 0; i < d; i++)
        {
            Span<double> inverseRow = covariance.AsSpan(i * d, d);
            Span<double> precisionRow = precision.AsSpan(i * d, d);
            double ui = u[i] / gain, xi = context[i];
            for (int j = 0; j < d; j++)
            {
                inverseRow[j] -= ui * u[j]; // Sherman–Morrison: (A + xxᵀ)⁻¹ = A⁻¹ − uuᵀ/(1 + xᵀu)
                precisionRow[j] += xi * context[j];
            }
            moment[i] += reward * xi;
            estimate[i] += ui * error; // recursive least squares: θ̂ += A⁻¹x·(r − xᵀθ̂)/(1 + xᵀA⁻¹x)
        }
        Evidence += 1;
        if (++sinceRefactor >= RefactorEvery) Refactor();
    }

    /// <summary>Checks that <paramref name="context"/> has this arm's dimension and only finite values.</summary>
    public void CheckContext(ReadOnlySpan<double> context)
    {
        if (context.Length != Dimension)
            throw new ArgumentException($"A context has {Dimension} values; got {context.Length}.", nameof(context));
        for (int i = 0; i < context.Length; i++)
        {
            if (!double.IsFinite(context[i]))
                throw new ArgumentException($"Context value {i} must be a finite number; got {context[i]}.", nameof(context));
        }
    }

    /// <summary>Rebuilds an arm from its stored A, b, evidence and prior weight (A⁻¹ and θ̂ computed afresh).</summary>
    public static LinearArm Restore(
        int dimension, double ridge, ReadOnlySpan<double> precision, ReadOnlySpan<double> moment, double evidence, double priorWeight)
    {
        var arm = new LinearArm(dimension, ridge);
        if (precision.Length != dimension * dimension || moment.Length != dimension)
            throw new ArgumentException($"A stored arm of dimension {dimension} has {dimension * dimension} precision and {dimension} moment values.");
        foreach (double value in precision) Guard.Finite(value, nameof(precision));
        foreach (double value in moment) Guard.Finite(value, nameof(moment));
        arm.Evidence = Guard.NonNegative(evidence, nameof(evidence));
        precision.CopyTo(arm.precision);
        moment.CopyTo(arm.moment);
        arm.priorWeight = Guard.Positive(priorWeight, nameof(priorWeight));
        arm.Refactor(topUpPrior: false); // the arm as stored; the next refactorisation tops up
        return arm;
    }

    /// <summary>Back to the prior: A = λI, b = 0, no evidence.</summary>
    private void Forget()
    {
        int d = Dimension;
        Array.Clear(precision);
        Array.Clear(covariance);
        Array.Clear(moment);
        Array.Clear(estimate);
        for (int i = 0; i < d; i++)
        {
            precision[i * d + i] = Ridge;
            covariance[i * d + i] = 1 / Ridge;
        }
        (priorWeight, Evidence, sinceRefactor) = (Ridge, 0, 0);
    }

    /// <summary>A⁻¹ and θ̂ afresh from A (with the prior topped up to λ, unless told not to) and b.</summary>
    private void Refactor(bool topUpPrior = true)
    {
        int d = Dimension;
        double topUp = Ridge - priorWeight;
        if (topUpPrior && topUp > 0)
        {
            for (int i = 0; i < d; i++) precision[i * d + i] += topUp;
            priorWeight = Ridge;
        }
        precision.CopyTo(covariance.AsSpan());
        if (!Inverse.OfPositiveDefinite(covariance, d))
            throw new InvalidOperationException("The arm's precision matrix is no longer positive definite.");
        for (int i = 0; i < d; i++) estimate[i] = Dot(covariance.AsSpan(i * d, d), moment);
        sinceRefactor = 0;
    }

    private static void Scale(Span<double> values, double factor)
    {
        foreach (ref double value in values) value *= factor;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
