namespace Bandits.Abstractions;

/// <summary>
/// One experiment: its definition, its learned state, its decisions and rewards. Keyed by the
/// experiment id. Choices are made by <see cref="IExperimentChooser"/>.
/// </summary>
public interface IExperimentGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the experiment; durable when it returns.</summary>
    Task<PutOutcome> PutAsync(ExperimentDefinition definition);

    /// <summary>The experiment, or null if it does not exist.</summary>
    Task<ExperimentView?> GetAsync();

    /// <summary>Deletes the experiment and its log; false if it did not exist.</summary>
    Task<bool> DeleteAsync();

    /// <summary>
    /// Records validated rewards; returns once they are committed to the database (group
    /// commit), or null if the experiment does not exist.
    /// </summary>
    Task<RewardReceipt?> RewardAsync(IReadOnlyList<RewardRecord> rewards, long incarnation);

    /// <summary>
    /// The rewards of several requests (gathered by one silo), each answered with its own
    /// receipt, all null if the experiment of that incarnation does not exist.
    /// </summary>
    Task<RewardReceipt?[]> RewardBatchAsync(IReadOnlyList<IReadOnlyList<RewardRecord>> requests, long incarnation);

    /// <summary>Per-arm statistics, or null if the experiment does not exist.</summary>
    Task<ExperimentStatistics?> GetStatisticsAsync();

    /// <summary>The experiment's line in the list, or null if it does not exist.</summary>
    Task<ExperimentListing?> GetListingAsync();

    /// <summary>
    /// Concludes the experiment: from now on every choice answers <paramref name="winner"/> with
    /// propensity 1; rewards are still recorded. Null if the experiment does not exist.
    /// </summary>
    /// <exception cref="ArgumentException">The winner is not an active arm.</exception>
    Task<ExperimentView?> ConcludeAsync(string winner);

    /// <summary>Returns a concluded experiment to learning, from all the evidence kept. Null if it does not exist.</summary>
    Task<ExperimentView?> ReopenAsync();

    /// <summary>
    /// Sends <paramref name="observer"/> the statistics at most once a second while they change,
    /// until it unsubscribes or has not renewed within <see cref="ExperimentObservers.Lease"/>.
    /// False if the experiment does not exist.
    /// </summary>
    Task<bool> SubscribeAsync(IExperimentObserver observer);

    Task UnsubscribeAsync(IExperimentObserver observer);
}
