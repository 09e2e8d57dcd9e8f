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

/// <summary>GET /v1/experiments.</summary>
public sealed record ExperimentList(IReadOnlyList<ExperimentResource> Experiments);
