using System.Diagnostics.Metrics;

namespace Bandits.Grains;

/// <summary>
/// The service's own meters (System.Diagnostics.Metrics, meter "Bandits"), exported with the
/// rest at /metrics as bandits_decisions, bandits_rewards_accepted, … No per-experiment
/// labels: their number is unbounded.
/// </summary>
public sealed class ExperimentMetrics : IDisposable
{
    public const string MeterName = "Bandits";

    // A plain Meter rather than IMeterFactory.Create: the Prometheus exporter's listener does
    // not pick up factory-scoped meters.
    private readonly Meter meter = new(MeterName);

    public ExperimentMetrics()
    {
        Decisions = meter.CreateCounter<long>("decisions", description: "Decisions issued.");
        RewardsAccepted = meter.CreateCounter<long>("rewards.accepted", description: "Rewards committed and learned.");
        RewardsDuplicate = meter.CreateCounter<long>("rewards.duplicate", description: "Rewards for decisions already rewarded.");
        DefaultRewards = meter.CreateCounter<long>("rewards.default", description: "Default rewards given to decisions past their window.");
        BatchSize = meter.CreateHistogram<int>("commit.batch_size", description: "Rewards per group commit.");
        CommitSeconds = meter.CreateHistogram<double>("commit.duration", unit: "s", description: "Time to commit one batch of rewards.");
    }

    public Counter<long> Decisions { get; }
    public Counter<long> RewardsAccepted { get; }
    public Counter<long> RewardsDuplicate { get; }
    public Counter<long> DefaultRewards { get; }
    public Histogram<int> BatchSize { get; }
    public Histogram<double> CommitSeconds { get; }

    public void Dispose() => meter.Dispose();
}
