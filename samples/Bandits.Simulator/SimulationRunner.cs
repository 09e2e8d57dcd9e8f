using System.Text.Json;
using Bandits.Core.Policies;
using Bandits.Core.Simulation;
using Spectre.Console;

namespace Bandits.Simulator;

/// <summary>
/// Runs each policy with a progress bar on standard error (so JSON on standard output stays
/// clean) and prints the results.
/// </summary>
internal sealed class SimulationRunner(SimulationSettings settings, PolicyOptions options, int runs, int seed)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public int Execute(IReadOnlyList<string> policies, OutputFormat format, CancellationToken cancellationToken)
    {
        var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        try
        {
            settings.Validate();
            foreach (string policy in policies) PolicyFactory.Create(policy, settings.RewardKind, options);
        }
        catch (ArgumentException e)
        {
            errors.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 2;
        }

        var results = new List<PolicyResult>();
        errors.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                foreach (string policy in policies)
                {
                    ProgressTask task = context.AddTask(policy, maxValue: (double)settings.Horizon * runs);
                    long done = 0;
                    var work = Task.Run(() => Core.Simulation.Simulator.Run(settings, policy, runs, seed, options,
                        steps => Interlocked.Add(ref done, steps), cancellationToken), cancellationToken);
                    while (!work.Wait(200)) task.Value = Interlocked.Read(ref done);
                    task.Value = task.MaxValue;
                    results.Add(work.Result);
                }
            });

        if (format == OutputFormat.Json)
        {
            foreach (PolicyResult result in results)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    result.Policy,
                    result.MeanRegret,
                    result.StdErr,
                    result.Runs,
                    result.Horizon,
                    result.LaiRobbins,
                    result.Seconds,
                }, Json));
            }
            return 0;
        }

        var table = new Table().AddColumns("policy", "mean regret", "± std. error", "Lai–Robbins C·ln T", "runs", "horizon", "seconds");
        foreach (PolicyResult r in results)
        {
            table.AddRow(r.Policy, $"{r.MeanRegret:F1}", $"{r.StdErr:F1}", r.LaiRobbins is { } bound ? $"{bound:F1}" : "n/a",
                $"{r.Runs}", $"{r.Horizon}", $"{r.Seconds:F1}");
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
