namespace Bandits.Abstractions;

/// <summary>
/// Chooses for one experiment on the local silo from a recent copy of its model (a stateless
/// worker: every silo has its own). Keyed by the experiment id.
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
}
