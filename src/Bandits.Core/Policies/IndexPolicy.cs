namespace Bandits.Core.Policies;

/// <summary>
/// Base of the deterministic index policies (UCB1, KL-UCB): each active arm gets an index
/// and the highest wins, ties split evenly. Only the index differs between them.
/// </summary>
public abstract class IndexPolicy : IBanditPolicy
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>
    /// Computes the index of every arm into <paramref name="indices"/> (retired arms
    /// included; they are skipped afterwards). An arm without evidence gets +∞.
    /// </summary>
    protected abstract void ComputeIndices(BanditState state, Span<double> indices);

    /// <inheritdoc />
    public int Choose(BanditState state, Random random)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(random);
        int count = state.ArmCount;
        double[]? rented = null;
        Span<double> indices = count <= 256 ? stackalloc double[count] : (rented = System.Buffers.ArrayPool<double>.Shared.Rent(count));
        ComputeIndices(state, indices);
        var best = new RandomArgMax();
        for (int i = 0; i < count; i++)
            if (state.IsActive(i)) best.Offer(i, indices[i], random);
        if (rented is not null) System.Buffers.ArrayPool<double>.Shared.Return(rented);
        return best.Result;
    }

    /// <inheritdoc />
    public void ChoiceProbabilities(BanditState state, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(state);
        int count = state.ArmCount;
        ComputeIndices(state, probabilities[..count]);
        double best = double.NegativeInfinity;
        int ties = 0;
        for (int i = 0; i < count; i++)
        {
            if (!state.IsActive(i)) continue;
            if (probabilities[i] > best) (best, ties) = (probabilities[i], 1);
            else if (probabilities[i] == best) ties++;
        }
        if (ties == 0) throw new InvalidOperationException("The experiment has no active arm to choose.");
        for (int i = 0; i < count; i++)
            probabilities[i] = state.IsActive(i) && probabilities[i] == best ? 1.0 / ties : 0;
    }
}
