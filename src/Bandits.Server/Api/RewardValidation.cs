using Bandits.Abstractions;
using Bandits.Core;
using Bandits.Grains.Decisions;

namespace Bandits.Server.Api;

/// <summary>
/// Turns reward events into records the grain can apply, or errors: all or nothing. The
/// experiment's definition decides the valid range and arms; decision ids are verified here
/// by their signature, without the database.
/// </summary>
public static class RewardValidation
{
    public const int MaxEvents = 1000;

    /// <summary>The records to commit (late ones marked: the grain counts them for the experiment's health, nothing more) or the errors.</summary>
    public sealed record Result(List<RewardRecord> Records, Dictionary<string, string[]> Errors);

    /// <param name="events">The events, in request order; a single object's errors name fields without an index.</param>
    /// <param name="experiment">The experiment they are for.</param>
    /// <param name="tokens">Verifies decision ids.</param>
    /// <param name="now">The time that decides expiry.</param>
    public static Result Validate(RewardBatch events, ExperimentView experiment, DecisionTokens tokens, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var records = new List<RewardRecord>(events.Count);
        RewardKind kind = experiment.Definition.RewardKind;
        long windowMs = experiment.Definition.RewardWindowSeconds * 1000;
        if (events.Count is 0 or > MaxEvents)
            errors["body"] = [$"Send one reward event or an array of 1 to {MaxEvents}; got {events.Count}."];

        for (int i = 0; i < events.Count && i < MaxEvents; i++)
        {
            string at = events.Single ? "" : $"[{i}].";
            RewardEvent? e = events[i];
            if (e is null)
            {
                errors[$"[{i}]"] = ["A reward event must be a JSON object."];
                continue;
            }
            if (e.Reward is not { } reward) errors[at + "reward"] = ["reward is required."];
            else if (!double.IsFinite(reward)) errors[at + "reward"] = ["reward must be a finite number."];
            else if (!RewardBounds.IsValid(kind, reward))
                errors[at + "reward"] = [$"A {ExperimentValidation.NameOf(kind)} experiment's reward must be {RewardBounds.Describe(kind)}; got {reward}."];

            int arm = -1;
            long? sequence = null;
            bool isExpired = false;
            if (e.DecisionId is not null && e.Arm is not null)
                errors[at + "decisionId"] = ["Give decisionId or arm, not both."];
            else if (e.DecisionId is { } decisionId)
            {
                if (!tokens.TryRead(decisionId, experiment.Id, experiment.Incarnation, out DecisionToken token) || token.ArmIndex >= experiment.AllArms.Count)
                    errors[at + "decisionId"] = ["This decisionId was not issued by this experiment."];
                else
                {
                    (arm, sequence) = (token.ArmIndex, token.Sequence);
                    isExpired = now.ToUnixTimeMilliseconds() - token.IssuedAt > windowMs;
                }
            }
            else if (e.Arm is { } name)
            {
                arm = IndexOf(experiment.AllArms, name);
                if (arm < 0) errors[at + "arm"] = [$"Experiment '{experiment.Id}' has no arm '{(name.Length > 70 ? name[..70] + "…" : name)}'."];
            }
            else errors[at + "decisionId"] = ["Give decisionId (preferred) or arm."];

            if (arm >= 0 && e.Reward is { } value && RewardBounds.IsValid(kind, value))
            {
                records.Add(new RewardRecord(arm, value, sequence, Late: isExpired));
            }
        }
        return new Result(records, errors);
    }

    private static int IndexOf(IReadOnlyList<string> arms, string name)
    {
        for (int i = 0; i < arms.Count; i++)
            if (string.Equals(arms[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }
}
