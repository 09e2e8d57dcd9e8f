using Bandits.Abstractions;
using Bandits.Grains.Storage;

namespace Bandits.Grains.Serving;

/// <summary>
/// The experiment grain's side of the per-silo choosers: they hand back the decisions they
/// issued and get a copy of the model to choose from, valid for a bounded time, with a block
/// of decision numbers. Only <see cref="ExperimentChooser"/> calls it.
/// </summary>
public interface IExperimentServing : IGrainWithStringKey
{
    /// <summary>
    /// Takes <paramref name="issued"/> decisions (to count and log) and leases a copy of the
    /// model with <paramref name="numbersWanted"/> decision numbers to the <paramref name="holder"/>
    /// silo (which the grain tells to drop it if the experiment changes); null if the experiment
    /// does not exist. Decisions of another <paramref name="incarnation"/> (an experiment of
    /// the same id, deleted since) are dropped.
    /// </summary>
    Task<ServingLease?> ServeAsync(IReadOnlyList<LoggedDecision> issued, long incarnation, int numbersWanted, SiloAddress holder);

    /// <summary>Takes <paramref name="issued"/> decisions to count and log (dropped unless the experiment of that incarnation exists).</summary>
    Task TakeDecisionsAsync(IReadOnlyList<LoggedDecision> issued, long incarnation);
}

/// <summary>
/// A copy of the model that may be chosen from until <see cref="ValidFor"/> has passed since
/// the request for it was sent, and the decision numbers [<see cref="FirstNumber"/>,
/// <see cref="FirstNumber"/> + <see cref="Numbers"/>) reserved for it.
/// </summary>
[GenerateSerializer, Immutable, Alias("bandits.serving-lease.v1")]
public sealed record ServingLease(
    [property: Id(0)] ServingCopy Copy,
    [property: Id(1)] long FirstNumber,
    [property: Id(2)] int Numbers,
    [property: Id(3)] TimeSpan ValidFor);

/// <summary>
/// The model frozen at one moment, as the choosers need it: each arm's probability of being
/// chosen under it (the propensity logged with every decision), computed once by the grain
/// for all silos.
/// </summary>
[GenerateSerializer, Immutable, Alias("bandits.serving-copy.v2")]
public sealed record ServingCopy(
    [property: Id(0)] ExperimentView Experiment,
    [property: Id(1)] long Publication,
    [property: Id(2)] double[] Probabilities);
