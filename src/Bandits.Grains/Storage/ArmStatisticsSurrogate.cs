using Bandits.Core;

namespace Bandits.Grains.Storage;

/// <summary>
/// How Orleans carries Bandits.Core's <see cref="ArmStatistics"/> (which knows nothing of
/// Orleans) in snapshots and in the copies leased to the choosers: a surrogate with stable field ids and a converter.
/// </summary>
[GenerateSerializer]
public struct ArmStatisticsSurrogate
{
    [Id(0)] public string Name;
    [Id(1)] public double Weight;
    [Id(2)] public double Mean;
    [Id(3)] public double SquaredDeviations;
    [Id(4)] public long Step;
    [Id(5)] public long Observations;
    [Id(6)] public double RewardSum;
    [Id(7)] public bool Retired;
}

[RegisterConverter]
public sealed class ArmStatisticsConverter : IConverter<ArmStatistics, ArmStatisticsSurrogate>
{
    public ArmStatistics ConvertFromSurrogate(in ArmStatisticsSurrogate s) =>
        new(s.Name, s.Weight, s.Mean, s.SquaredDeviations, s.Step, s.Observations, s.RewardSum, s.Retired);

    public ArmStatisticsSurrogate ConvertToSurrogate(in ArmStatistics a) => new()
    {
        Name = a.Name,
        Weight = a.Weight,
        Mean = a.Mean,
        SquaredDeviations = a.SquaredDeviations,
        Step = a.Step,
        Observations = a.Observations,
        RewardSum = a.RewardSum,
        Retired = a.Retired,
    };
}
