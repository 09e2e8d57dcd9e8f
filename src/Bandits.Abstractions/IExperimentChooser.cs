using Orleans.Concurrency;

namespace Bandits.Abstractions;

/// <summary>
/// Keeps this silo's copy of one experiment's model for choices (a stateless worker: every
/// silo has its own), renewing it from the experiment's grain before it expires. Keyed by the
/// experiment id. Most choices never call it: they are answered from the copy in place.
/// </summary>
public interface IExperimentChooser : IGrainWithStringKey
{
    /// <summary>Chooses an arm; null if the experiment does not exist.</summary>
    Task<Decision?> ChooseAsync(string? userId);

    /// <summary>
    /// The experiment as of the copy this silo chooses from, or null if it does not exist:
    /// what rewards are validated against without a call to the experiment's grain.
    /// </summary>
    Task<ExperimentView?> DescribeAsync();

    /// <summary>Renews the copy ahead of its expiry (asked by choices answered in place).</summary>
    [OneWay]
    Task RenewAsync();
}
