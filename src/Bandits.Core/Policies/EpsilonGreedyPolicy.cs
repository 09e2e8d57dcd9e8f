namespace Bandits.Core.Policies;

/// <summary>
/// ε-greedy (Sutton &amp; Barto 2018, §2.2): with probability ε a uniformly random active arm,
/// otherwise the arm with the best mean reward; arms without evidence count as best, so each
/// is tried once. Its choice probabilities are exact: ε/K plus (1 − ε) shared by the tied best.
/// </summary>
public sealed class EpsilonGreedyPolicy : IBanditPolicy
{
    /// <summary>Creates the policy with a fixed or decaying schedule.</summary>
    public EpsilonGreedyPolicy(EpsilonSchedule schedule) =>
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <summary>Creates the policy with a fixed ε ∈ [0, 1].</summary>
    public EpsilonGreedyPolicy(double epsilon) : this(EpsilonSchedule.Fixed(epsilon)) { }

    /// <summary>How exploration evolves.</summary>
    public EpsilonSchedule Schedule { get; }

    /// <inheritdoc />
    public string Name => "epsilon-greedy";

    private static double Value(ArmEvidence e) => e.Weight > 0 ? e.Mean : double.PositiveInfinity;

    /// <inheritdoc />
    public int Choose(BanditState state, Random random)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(random);
        int active = state.ActiveArmCount;
        if (active == 0) throw new InvalidOperationException("The experiment has no active arm to choose.");
        double epsilon = Schedule.At(state.ActiveWeight(), active);
        if (random.NextDouble() < epsilon)
        {
            int pick = random.Next(active);
            for (int i = 0; i < state.ArmCount; i++)
                if (state.IsActive(i) && pick-- == 0) return i;
        }
        var best = new RandomArgMax();
        for (int i = 0; i < state.ArmCount; i++)
            if (state.IsActive(i)) best.Offer(i, Value(state.Evidence(i)), random);
        return best.Result;
    }

    /// <inheritdoc />
    public void ChoiceProbabilities(BanditState state, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(state);
        int active = state.ActiveArmCount;
        if (active == 0) throw new InvalidOperationException("The experiment has no active arm to choose.");
        double epsilon = Schedule.At(state.ActiveWeight(), active);
        double best = double.NegativeInfinity;
        int ties = 0;
        for (int i = 0; i < state.ArmCount; i++)
        {
            if (!state.IsActive(i)) continue;
            double value = Value(state.Evidence(i));
            if (value > best) (best, ties) = (value, 1);
            else if (value == best) ties++;
        }
        for (int i = 0; i < state.ArmCount; i++)
        {
            probabilities[i] = !state.IsActive(i) ? 0
                : epsilon / active + (Value(state.Evidence(i)) == best ? (1 - epsilon) / ties : 0);
        }
    }
}
