namespace Bandits.Server.Api;

/// <summary>Optional body of POST …/choose.</summary>
public sealed record ChooseRequest : IValidatedBody
{
    public const int MaxUserIdLength = 256;

    public string? UserId { get; init; }

    public Dictionary<string, string[]>? Errors() => UserId is { Length: 0 or > MaxUserIdLength }
        ? new() { ["userId"] = [$"userId must have 1 to {MaxUserIdLength} characters."] }
        : null;
}
