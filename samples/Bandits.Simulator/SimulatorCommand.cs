using System.CommandLine;
using System.Globalization;
using Bandits.Core.Policies;
using Bandits.Core.Simulation;

namespace Bandits.Simulator;

/// <summary>The command line: options, their validation, and the hand-off to <see cref="SimulationRunner"/>.</summary>
internal static class SimulatorCommand
{
    public static RootCommand Create()
    {
        var arms = new Option<string?>("--arms") { Description = "True mean of each arm, comma-separated (e.g. 0.5,0.4,0.4)." };
        var randomArms = new Option<int?>("--random-arms") { Description = "K arms whose means are drawn per run from Beta(a,b)." };
        var beta = new Option<string>("--beta")
        {
            Description = "a,b of the Beta distribution of random (and replacement) arm means.",
            DefaultValueFactory = _ => "1,1",
        };
        var horizon = new Option<long>("--horizon") { Description = "Decisions per run, T.", DefaultValueFactory = _ => 10_000 };
        var runs = new Option<int>("--runs") { Description = "Independent runs (seeds).", DefaultValueFactory = _ => 16 };
        var seed = new Option<int>("--seed") { Description = "Master seed; the same seed prints the same figures.", DefaultValueFactory = _ => 1 };
        var policies = new Option<string[]>("--policy")
        {
            Description = $"Policy to run; repeat for several. One of: {string.Join(", ", PolicyFactory.Names)}.",
            DefaultValueFactory = _ => [PolicyFactory.Thompson],
            AllowMultipleArgumentsPerToken = false,
        };
        policies.AcceptOnlyFromAmong([.. PolicyFactory.Names]);
        var delay = new Option<int>("--delay") { Description = "Update the policy only every δ steps, with the rewards gathered since.", DefaultValueFactory = _ => 1 };
        var replace = new Option<double>("--replace-prob") { Description = "Each step, with probability p one arm is retired and replaced by a fresh one." };
        var gaussian = new Option<double?>("--gaussian") { Description = "Normal rewards with this σ (continuous) instead of Bernoulli." };
        var discount = new Option<double>("--discount") { Description = "Discount factor γ in (0, 1] of the policy's evidence.", DefaultValueFactory = _ => 1 };
        var epsilon = new Option<double>("--epsilon") { Description = "ε of epsilon-greedy.", DefaultValueFactory = _ => 0.1 };
        var format = new Option<OutputFormat>("--format") { Description = "table (default) or json (one object per policy and line).", DefaultValueFactory = _ => OutputFormat.Table };

        var command = new RootCommand("Runs bandit policies on simulated arms and reports mean cumulative pseudo-regret ± standard error.")
        {
            arms, randomArms, beta, horizon, runs, seed, policies, delay, replace, gaussian, discount, epsilon, format,
        };
        arms.Validators.Add(result =>
        {
            if (ParseList(result.GetValueOrDefault<string?>() ?? "") is null) result.AddError("--arms takes finite numbers separated by commas.");
        });
        beta.Validators.Add(result =>
        {
            if (ParseList(result.GetValueOrDefault<string?>() ?? "") is not { Length: 2 }) result.AddError("--beta takes two finite numbers: a,b.");
        });
        command.Validators.Add(result =>
        {
            bool hasArms = result.GetValue(arms) is not null, hasRandom = result.GetValue(randomArms) is not null;
            if (hasArms == hasRandom) result.AddError("Give exactly one of --arms or --random-arms.");
        });

        command.SetAction((result, cancellationToken) =>
        {
            double[] ab = ParseList(result.GetValue(beta)!)!;
            var settings = new SimulationSettings
            {
                ArmMeans = result.GetValue(arms) is { } text ? ParseList(text) : null,
                RandomArms = result.GetValue(randomArms) ?? 0,
                MeanPrior = (ab[0], ab[1]),
                Horizon = result.GetValue(horizon),
                Delay = result.GetValue(delay),
                ReplaceProbability = result.GetValue(replace),
                GaussianNoise = result.GetValue(gaussian),
                Discount = result.GetValue(discount),
            };
            var options = new PolicyOptions { Epsilon = result.GetValue(epsilon) };
            var runner = new SimulationRunner(settings, options, result.GetValue(runs), result.GetValue(seed));
            return Task.FromResult(runner.Execute(result.GetValue(policies)!.Distinct().ToArray(), result.GetValue(format), cancellationToken));
        });
        return command;
    }

    /// <summary>Parses "0.5,0.4,…"; null if any part is not a finite number.</summary>
    private static double[]? ParseList(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                return null;
        }
        return parts.Length > 0 ? values : null;
    }
}
