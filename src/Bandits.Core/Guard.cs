namespace Bandits.Core;

/// <summary>
/// Parameter checks shared by every public entry point. Unlike the framework's
/// <c>ThrowIfNegative</c> family these reject NaN, which compares false with everything.
/// </summary>
internal static class Guard
{
    public static double Finite(double value, string name)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number; got {value}.");
        return value;
    }

    public static double Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number greater than 0; got {value}.");
        return value;
    }

    public static double NonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number of at least 0; got {value}.");
        return value;
    }

    public static double Probability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1]; got {value}.");
        return value;
    }

    /// <summary>A discount factor γ ∈ (0, 1]; 1 keeps all evidence.</summary>
    public static double Discount(double value, string name)
    {
        if (!(value > 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1]; got {value}.");
        return value;
    }
}
