namespace Bandits.Core.Simulation;

/// <summary>The outcome of one simulated run.</summary>
/// <param name="Regret">Cumulative pseudo-regret Σₜ (μ*ₜ − μ of the arm played), μ*ₜ being the best arm present at step t.</param>
/// <param name="LaiRobbins">The Lai–Robbins bound for this run's arms at the horizon, or null where it does not apply.</param>
public readonly record struct RunResult(double Regret, double? LaiRobbins);
