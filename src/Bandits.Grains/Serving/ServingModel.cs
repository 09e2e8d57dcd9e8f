using System.Text;
using Bandits.Abstractions;

namespace Bandits.Grains.Serving;

/// <summary>
/// A chooser's working copy of a <see cref="ServingCopy"/>. Every policy's choice is a draw
/// from the exact probabilities the grain computed for the copy (Thompson sampling picks an
/// arm with its probability of being the best, P(best); an index policy its argmax), so a
/// choice is one uniform number put through the cumulative distribution: no posterior is
/// sampled per choice, and the propensity logged is exactly the probability the arm was
/// drawn with.
/// </summary>
/// <remarks>
/// A user id fixes the uniform number (a hash of the experiment, its incarnation and the user
/// id, the same on every silo), so a user keeps their arm for as long as the probabilities
/// around their number stay put, and moves only when learning shifts the boundary between two
/// arms across it. The experiment is in the hash so that a user's arms in two experiments are
/// independent: with the user alone, the users of the first arm in one would be those of the
/// first arm in every other.
/// </remarks>
internal sealed class ServingModel
{
    private readonly double[] probabilities;
    private readonly double[] cumulative;
    private readonly ulong userSeed; // the hash of the experiment and incarnation, which each user id continues

    public ServingModel(ServingCopy copy)
    {
        Experiment = copy.Experiment;
        Publication = copy.Publication;
        userSeed = (Fnv(14695981039346656037UL, Experiment.Id) ^ (ulong)Experiment.Incarnation) * 1099511628211UL;
        probabilities = copy.Probabilities;
        cumulative = new double[probabilities.Length];
        double total = 0;
        for (int i = 0; i < probabilities.Length; i++) cumulative[i] = total += probabilities[i];
        if (!(total > 0)) throw new InvalidOperationException($"Experiment '{Experiment.Id}' has no arm that can be chosen.");
    }

    public ExperimentView Experiment { get; }

    /// <summary>Which publication of the model this is; unique across activations of the grain.</summary>
    public long Publication { get; }

    /// <summary>The arm drawn for <paramref name="userId"/> (its own fixed number) or, without one, with <paramref name="random"/>.</summary>
    public int Choose(string? userId, Random random) => ArmAt(userId is null ? random.NextDouble() : Uniform(userId));

    public double Propensity(int arm) => probabilities[arm];

    public string ArmName(int arm) => Experiment.AllArms[arm];

    /// <summary>The arm whose share of [0, 1) holds <paramref name="u"/>; arms of probability 0 hold none.</summary>
    private int ArmAt(double u)
    {
        double target = u * cumulative[^1];
        int index = Array.BinarySearch(cumulative, target);
        index = index >= 0 ? index + 1 : ~index; // the first arm whose cumulative share exceeds the target
        while (index < probabilities.Length - 1 && probabilities[index] <= 0) index++;
        while (probabilities[index] <= 0) index--; // past the end by rounding: the last arm that can be chosen
        return index;
    }

    /// <summary>A number in [0, 1) from FNV-1a over the experiment, its incarnation and the user id: stable across processes, unlike string.GetHashCode.</summary>
    private double Uniform(string userId)
    {
        ulong hash = Fnv(userSeed, userId);
        hash ^= hash >> 33; // FNV's high bits mix poorly on short ids: fold them once (the finaliser of MurmurHash3)
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong Fnv(ulong hash, string text)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        foreach (byte b in utf8[..Encoding.UTF8.GetBytes(text, utf8)]) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }
}
