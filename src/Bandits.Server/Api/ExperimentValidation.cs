using System.Text.RegularExpressions;
using Bandits.Abstractions;
using Bandits.Core;
using Bandits.Core.Policies;

namespace Bandits.Server.Api;

/// <summary>The rules of experiment ids and definitions; errors are field → messages, all of them at once.</summary>
public static partial class ExperimentValidation
{
    public const int MaxArms = 1000;
    public const long MaxRewardWindowSeconds = 31_536_000;
    public const long MaxMinimumDecisionsPerArm = 1_000_000_000;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    public static partial Regex NamePattern();

    public static bool IsValidId(string id) => NamePattern().IsMatch(id);

    public static string IdError(string id) => $"'{Truncate(id)}' is not a valid id: use 1–64 of A–Z, a–z, 0–9, '.', '_', '-'.";

    /// <summary>What prevents <paramref name="request"/> from being a definition; empty if nothing does.</summary>
    public static Dictionary<string, string[]> Errors(ExperimentRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) =>
            errors[field] = errors.TryGetValue(field, out string[]? existing) ? [.. existing, message] : [message];

        if (request.Arms is null || request.Arms.Count == 0)
            Error("arms", $"Give 1 to {MaxArms} arm names.");
        else
        {
            if (request.Arms.Count > MaxArms) Error("arms", $"At most {MaxArms} arms; got {request.Arms.Count}.");
            foreach (string? arm in request.Arms)
                if (arm is null || !NamePattern().IsMatch(arm)) Error("arms", $"'{Truncate(arm)}' is not a valid arm name: use 1–64 of A–Z, a–z, 0–9, '.', '_', '-'.");
            foreach (string arm in request.Arms.Where(a => a is not null).GroupBy(a => a).Where(g => g.Count() > 1).Select(g => g.Key))
                Error("arms", $"Arm '{arm}' is listed more than once.");
        }

        bool policyKnown = TryParsePolicy(request, out PolicyKind policy);
        if (!policyKnown)
            Error("policy", $"Unknown policy '{Truncate(request.Policy)}'; expected one of {string.Join(", ", PolicyFactory.Names)}.");
        bool kindKnown = TryParseKind(request, out RewardKind kind);
        if (!kindKnown) Error("rewardKind", "rewardKind must be 'binary' or 'continuous'.");
        else if (policyKnown && !PolicyFactory.Supports(policy, kind)) Error("policy", $"{PolicyFactory.NameOf(policy)} supports binary rewards only.");

        if (request.DefaultReward is { } defaultReward && kindKnown && !RewardBounds.IsValid(kind, defaultReward))
            Error("defaultReward", kind == RewardKind.Binary
                ? "A binary experiment's defaultReward must be in [0, 1]."
                : $"A continuous experiment's defaultReward must be {RewardBounds.Describe(kind)}.");
        if (Window(request) is < 1 or > MaxRewardWindowSeconds)
            Error("rewardWindowSeconds", $"rewardWindowSeconds must be between 1 and {MaxRewardWindowSeconds} (a year).");
        if (!(Epsilon(request) is >= 0 and <= 1)) Error("epsilon", "epsilon must be in [0, 1].");
        if (!(Discount(request) is > 0 and <= 1)) Error("discount", "discount must be in (0, 1].");
        if (MinimumDecisions(request) is < 0 or > MaxMinimumDecisionsPerArm)
            Error("minimumDecisionsPerArm", $"minimumDecisionsPerArm must be between 0 and {MaxMinimumDecisionsPerArm}.");
        if (!(AcceptableLoss(request) is > 0 and < 1)) Error("acceptableLoss", "acceptableLoss must be in (0, 1): a share of the best mean, 0.01 for 1%.");
        return errors;
    }

    /// <summary>The definition <paramref name="request"/> sets, its absent fields taking the defaults; only for a request without <see cref="Errors"/>.</summary>
    public static ExperimentDefinition ToDefinition(ExperimentRequest request)
    {
        TryParsePolicy(request, out PolicyKind policy);
        TryParseKind(request, out RewardKind kind);
        return new ExperimentDefinition
        {
            Arms = request.Arms!.ToArray(),
            Policy = policy,
            RewardKind = kind,
            DefaultReward = request.DefaultReward,
            RewardWindowSeconds = Window(request),
            Epsilon = Epsilon(request),
            Discount = Discount(request),
            MinimumDecisionsPerArm = MinimumDecisions(request),
            AcceptableLoss = AcceptableLoss(request),
        };
    }

    /// <summary>The API's names of reward kinds: "binary", "continuous".</summary>
    public static string NameOf(RewardKind kind) => kind == RewardKind.Binary ? "binary" : "continuous";

    private static bool TryParsePolicy(ExperimentRequest request, out PolicyKind policy)
    {
        policy = ExperimentDefinition.DefaultPolicy;
        return request.Policy is null || PolicyFactory.TryParse(request.Policy, out policy);
    }

    private static bool TryParseKind(ExperimentRequest request, out RewardKind kind)
    {
        kind = request.RewardKind == "continuous" ? RewardKind.Continuous : ExperimentDefinition.DefaultRewardKind;
        return request.RewardKind is null or "binary" or "continuous";
    }

    private static long Window(ExperimentRequest request) => request.RewardWindowSeconds ?? ExperimentDefinition.DefaultRewardWindowSeconds;

    private static double Epsilon(ExperimentRequest request) => request.Epsilon ?? ExperimentDefinition.DefaultEpsilon;

    private static double Discount(ExperimentRequest request) => request.Discount ?? ExperimentDefinition.DefaultDiscount;

    private static long MinimumDecisions(ExperimentRequest request) => request.MinimumDecisionsPerArm ?? ExperimentDefinition.DefaultMinimumDecisionsPerArm;

    private static double AcceptableLoss(ExperimentRequest request) => request.AcceptableLoss ?? ExperimentDefinition.DefaultAcceptableLoss;

    private static string Truncate(string? value) => value is null ? "null" : value.Length <= 70 ? value : value[..70] + "…";
}
