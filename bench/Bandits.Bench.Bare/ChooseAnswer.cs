namespace Bandits.Bench.Bare;

/// <summary>The shape of the service's answer to choose (camelCase JSON, like the service's).</summary>
internal sealed record ChooseAnswer(string ExperimentId, string DecisionId, string Arm, double Propensity)
{
    /// <summary>The same constant that the service's same-host baseline answers.</summary>
    public static readonly ChooseAnswer Constant = new("baseline", "AQAAAAAAAAAAAAAAAgAAAaIXoLx7vSI4-fKDvcoM8itiw32AEQ", "control", 0.25);
}
