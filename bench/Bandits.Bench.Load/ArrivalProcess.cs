namespace Bandits.Bench.Load;

/// <summary>How the intended send times follow each other.</summary>
public enum ArrivalProcess
{
    /// <summary>Exponential gaps: independent users, bursts included.</summary>
    Poisson,

    /// <summary>Equal gaps of 1 / rate.</summary>
    Constant,
}
