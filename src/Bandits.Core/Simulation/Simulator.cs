using System.Diagnostics;
using Bandits.Core.Policies;

namespace Bandits.Core.Simulation;

/// <summary>
/// Runs a policy on a simulated environment many times, in parallel over runs, and reports
/// its pseudo-regret. The environment of run r is the same for every policy (common random
/// numbers), so differences between policies are not noise of the arms drawn.
/// </summary>
public static class Simulator
{
    private const int ProgressEvery = 4096;

    /// <summary>Simulates <paramref name="runs"/> runs of the named policy.</summary>
    /// <param name="settings">The environment.</param>
    /// <param name="policy">A policy name of <see cref="PolicyFactory"/>.</param>
    /// <param name="runs">Independent runs.</param>
    /// <param name="seed">Master seed; the same seed gives the same result.</param>
    /// <param name="options">Policy parameters.</param>
    /// <param name="onProgress">Called now and then, from any thread, with a number of steps just completed.</param>
    /// <param name="cancellationToken">Stops the runs early.</param>
    public static PolicyResult Run(
        SimulationSettings settings,
        string policy,
        int runs,
        int seed,
        PolicyOptions? options = null,
        Action<long>? onProgress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        // Fail fast on a bad name or an unsupported reward kind, before any thread starts.
        _ = PolicyFactory.Create(policy, settings.RewardKind, options);

        var results = new RunResult[runs];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, runs, new ParallelOptions { CancellationToken = cancellationToken }, run =>
        {
            IBanditPolicy instance = PolicyFactory.Create(policy, settings.RewardKind, options);
            results[run] = RunOnce(settings, instance, seed, run, onProgress, cancellationToken);
        });

        double mean = results.Average(r => r.Regret);
        double variance = runs > 1 ? results.Sum(r => (r.Regret - mean) * (r.Regret - mean)) / (runs - 1) : 0;
        double? laiRobbins = results[0].LaiRobbins is null ? null : results.Average(r => r.LaiRobbins!.Value);
        return new PolicyResult(policy, mean, Math.Sqrt(variance / runs), runs, settings.Horizon, laiRobbins, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One run: choose, pay regret, observe (every δ steps), possibly replace an arm.</summary>
    public static RunResult RunOnce(
        SimulationSettings settings,
        IBanditPolicy policy,
        int seed,
        int run,
        Action<long>? onProgress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(policy);
        Random environmentRandom = Seeds.Generator(Seeds.Derive(seed, run, 0));
        Random policyRandom = Seeds.Generator(Seeds.Derive(seed, run, 1));
        var state = new BanditState(settings.RewardKind, settings.Discount);
        var environment = new Environment(settings, environmentRandom, state);
        double? laiRobbins = settings.GaussianNoise is null && settings.ReplaceProbability == 0
            ? LaiRobbins.BernoulliBound(environment.Means, settings.Horizon)
            : null;

        var pending = new Observation[settings.Delay];
        int waiting = 0;
        double regret = 0;
        for (long t = 1; t <= settings.Horizon; t++)
        {
            environment.MaybeReplace(state);
            int arm = policy.Choose(state, policyRandom);
            regret += environment.BestMean - environment.Mean(arm);
            pending[waiting++] = new Observation(arm, environment.Reward(arm));
            if (waiting == pending.Length)
            {
                state.Observe(pending);
                waiting = 0;
            }
            if (t % ProgressEvery == 0)
            {
                onProgress?.Invoke(ProgressEvery);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        onProgress?.Invoke(settings.Horizon % ProgressEvery);
        return new RunResult(regret, laiRobbins);
    }
}
