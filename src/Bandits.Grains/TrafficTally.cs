namespace Bandits.Grains;

/// <summary>
/// Each arm's share of recent decisions: counts that decay by a factor 1 − 1/window per
/// decision (an exponential moving window of about <c>window</c> decisions), applied lazily.
/// </summary>
internal sealed class TrafficTally(int window = 1000)
{
    private readonly double keep = 1 - 1.0 / window;
    private double[] weights = [];
    private long[] stamps = [];
    private long clock;

    public void Count(int arm)
    {
        Grow(arm + 1);
        clock++;
        weights[arm] = Decayed(arm) + 1;
        stamps[arm] = clock;
    }

    /// <summary>
    /// Starts from decisions counted elsewhere, per arm: as if they had just been counted, their
    /// total capped at the window (what the moving window holds in a steady state).
    /// </summary>
    public void Seed(IReadOnlyDictionary<int, long> decisions)
    {
        long total = decisions.Values.Sum();
        if (total == 0) return;
        double scale = Math.Min(1, 1 / (1 - keep) / total);
        foreach ((int arm, long count) in decisions)
        {
            Grow(arm + 1);
            weights[arm] = count * scale;
            stamps[arm] = clock;
        }
    }

    public IReadOnlyList<double> Shares(int arms)
    {
        Grow(arms);
        var shares = new double[arms];
        double total = 0;
        for (int i = 0; i < arms; i++) total += shares[i] = Decayed(i);
        if (total > 0)
            for (int i = 0; i < arms; i++) shares[i] /= total;
        return shares;
    }

    private double Decayed(int arm) => weights[arm] * Math.Pow(keep, clock - stamps[arm]);

    private void Grow(int arms)
    {
        if (weights.Length >= arms) return;
        Array.Resize(ref weights, arms);
        Array.Resize(ref stamps, arms);
    }
}
