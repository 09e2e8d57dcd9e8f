namespace Bandits.Core.Simulation;

/// <summary>
/// Independent, reproducible seeds for each run and stream, derived with SplitMix64
/// (Steele, Lea &amp; Flood 2014). <see cref="HashCode"/> is salted per process, so it is not used.
/// </summary>
public static class Seeds
{
    /// <summary>A seed for <paramref name="stream"/> of run <paramref name="run"/> under the master seed.</summary>
    public static int Derive(int seed, int run, int stream)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL;
        z = Mix(z + (ulong)(uint)run);
        z = Mix(z + (ulong)(uint)stream * 0xD1B54A32D192ED03UL);
        return (int)(z >> 33);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A fast, seeded generator for one thread (xoshiro256**, no locking).</summary>
    public static Random Generator(int seed) => new MathNet.Numerics.Random.Xoshiro256StarStar(seed, threadSafe: false);
}
