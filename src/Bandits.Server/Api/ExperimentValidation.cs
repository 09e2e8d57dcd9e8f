using System.Text.RegularExpressions;
using Bandits.Abstractions;
using Bandits.Core;
using Bandits.Core.Policies;

namespace Bandits.Server.Api;

/// <summary>All-or-nothing validation of experiment ids and definitions; errors are field → messages.</summary>
public static partial class ExperimentValidation
{
    public const int MaxArms = 1000;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    public static partial Regex NamePattern();

    public static bool IsValidId(string id) => NamePattern().IsMatch(id);

    public static string IdError(string id) => $"'{Truncate(id)}' is not a valid id: use 1–64 of A–Z, a–z, 0–9, '.', '_', '-'.";

    /// <summary>The definition, or the errors that prevent it.</summary>
    public static (ExperimentDefinition? Definition, Dictionary<string, string[]> Errors) Validate(ExperimentRequest request)
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

        PolicyKind policy = ExperimentDefinition.DefaultPolicy;
        RewardKind kind = ExperimentDefinition.DefaultRewardKind;
        if (request.Policy is not null && !PolicyFactory.TryParse(request.Policy, out policy))
            Error("policy", $"Unknown policy '{Truncate(request.Policy)}'; expected one of {string.Join(", ", PolicyFactory.Names)}.");
        bool kindKnown = request.RewardKind is null || TryParseKind(request.RewardKind, out kind);
        if (!kindKnown) Error("rewardKind", "rewardKind must be 'binary' or 'continuous'.");
        else if (!PolicyFactory.Supports(policy, kind)) Error("policy", $"{PolicyFactory.NameOf(policy)} supports binary rewards only.");

        if (request.DefaultReward is { } defaultReward && kindKnown && !RewardBounds.IsValid(kind, defaultReward))
            Error("defaultReward", kind == RewardKind.Binary
                ? "A binary experiment's defaultReward must be in [0, 1]."
                : $"A continuous experiment's defaultReward must be {RewardBounds.Describe(kind)}.");
        long window = request.RewardWindowSeconds ?? ExperimentDefinition.DefaultRewardWindowSeconds;
        if (window is < 1 or > 31_536_000) Error("rewardWindowSeconds", "rewardWindowSeconds must be between 1 and 31536000 (a year).");
        double epsilon = request.Epsilon ?? ExperimentDefinition.DefaultEpsilon;
        if (!(epsilon >= 0 && epsilon <= 1)) Error("epsilon", "epsilon must be in [0, 1].");
        double discount = request.Discount ?? ExperimentDefinition.DefaultDiscount;
        if (!(discount > 0 && discount <= 1)) Error("discount", "discount must be in (0, 1].");

        if (errors.Count > 0) return (null, errors);
        return (new ExperimentDefinition
        {
            Arms = request.Arms!.ToArray(),
            Policy = policy,
            RewardKind = kind,
            DefaultReward = request.DefaultReward,
            RewardWindowSeconds = window,
            Epsilon = epsilon,
            Discount = discount,
        }, errors);
    }

    /// <summary>The API's names of reward kinds: "binary", "continuous".</summary>
    public static string NameOf(RewardKind kind) => kind == RewardKind.Binary ? "binary" : "continuous";

    private static bool TryParseKind(string name, out RewardKind kind)
    {
        kind = name == "continuous" ? RewardKind.Continuous : RewardKind.Binary;
        return name is "binary" or "continuous";
    }

    private static string Truncate(string? value) => value is null ? "null" : value.Length <= 70 ? value : value[..70] + "…";
}
