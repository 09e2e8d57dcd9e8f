namespace Bandits.Core.Policies;

/// <summary>How much an ε-greedy policy explores at a given moment.</summary>
public sealed record EpsilonSchedule
{
    private EpsilonSchedule(double epsilon, double decay) => (Epsilon, Decay) = (epsilon, decay);

    /// <summary>The fixed exploration rate (used when <see cref="Decay"/> is 0).</summary>
    public double Epsilon { get; }

    /// <summary>The constant c of the decaying schedule, or 0 for a fixed rate.</summary>
    public double Decay { get; }

    /// <summary>Explores with probability ε at every step, ε ∈ [0, 1].</summary>
    public static EpsilonSchedule Fixed(double epsilon) => new(Guard.Probability(epsilon, nameof(epsilon)), 0);

    /// <summary>
    /// εₜ = min(1, c·K / t), the εₙ-greedy schedule of Auer, Cesa-Bianchi &amp; Fischer (2002,
    /// Theorem 3) with their d² folded into c &gt; 0; K is the number of active arms and t the
    /// evidence gathered. Exploration fades as 1/t, so regret grows as ln t.
    /// </summary>
    public static EpsilonSchedule Decaying(double c) => new(1, Guard.Positive(c, nameof(c)));

    /// <summary>The exploration probability after evidence <paramref name="t"/> with <paramref name="arms"/> active arms.</summary>
    public double At(double t, int arms) => Decay > 0 ? Math.Min(1, Decay * arms / Math.Max(t, 1)) : Epsilon;
}
