using Bandits.Abstractions;

namespace Bandits.Server.Api;

/// <summary>The experiment resource of the HTTP contract.</summary>
public sealed record ExperimentResource(
    string Id,
    IReadOnlyList<string> Arms,
    string Policy,
    string RewardKind,
    double? DefaultReward,
    long RewardWindowSeconds,
    double Epsilon,
    double Discount,
    long MinimumDecisionsPerArm,
    double AcceptableLoss,
    string Status,
    string? Winner,
    DateTimeOffset CreatedAt,
    int Version)
{
    public static ExperimentResource From(ExperimentView view) => new(
        view.Id, view.Definition.Arms, Bandits.Core.Policies.PolicyFactory.NameOf(view.Definition.Policy), ExperimentValidation.NameOf(view.Definition.RewardKind), view.Definition.DefaultReward,
        view.Definition.RewardWindowSeconds, view.Definition.Epsilon, view.Definition.Discount,
        view.Definition.MinimumDecisionsPerArm, view.Definition.AcceptableLoss, view.Status, view.Winner, view.CreatedAt, view.Version);
}

/// <summary>GET /v1/experiments: a page of the list, how many experiments match in all, and the next page's cursor (absent on the last).</summary>
public sealed record ExperimentList(
    IReadOnlyList<ExperimentListEntry> Experiments,
    long Total,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? NextCursor);

/// <summary>An experiment's line in the list: what an analyst needs to pick one; GET /v1/experiments/{id} has the whole definition.</summary>
public sealed record ExperimentListEntry(
    string Id,
    string Status,
    string? Winner,
    IReadOnlyList<string> Arms,
    string Policy,
    string RewardKind,
    long Decisions,
    long Rewards,
    string? Leader,
    double? LeaderProbabilityBest,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivity,
    int Version)
{
    public static ExperimentListEntry From(ExperimentListing listing)
    {
        ExperimentView view = listing.Experiment;
        return new(
            view.Id, view.Status, view.Winner, view.Definition.Arms, Bandits.Core.Policies.PolicyFactory.NameOf(view.Definition.Policy),
            ExperimentValidation.NameOf(view.Definition.RewardKind), listing.Decisions, listing.Rewards, listing.Leader, listing.LeaderProbabilityBest,
            view.CreatedAt, listing.LastActivity, view.Version);
    }
}
