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
}
