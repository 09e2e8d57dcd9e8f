namespace Bandits.Core.Simulation;

/// <summary>A policy's regret over many runs.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="MeanRegret">Mean cumulative pseudo-regret at the horizon.</param>
/// <param name="StdErr">Standard error of that mean (sample standard deviation / √runs).</param>
/// <param name="Runs">Number of independent runs.</param>
/// <param name="Horizon">Steps per run.</param>
/// <param name="LaiRobbins">The mean Lai–Robbins bound C·ln T over the runs' arms; null for
/// continuous rewards or replaced arms, where that bound does not apply.</param>
/// <param name="Seconds">Wall-clock time of the runs.</param>
public sealed record PolicyResult(string Policy, double MeanRegret, double StdErr, int Runs, long Horizon, double? LaiRobbins, double Seconds);
