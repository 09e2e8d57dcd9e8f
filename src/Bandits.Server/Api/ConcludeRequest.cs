namespace Bandits.Server.Api;

/// <summary>Body of POST /v1/experiments/{id}/conclude.</summary>
public sealed record ConcludeRequest : IValidatedBody
{
    /// <summary>The arm every choice answers from now on.</summary>
    public string? Winner { get; init; }

    public Dictionary<string, string[]>? Errors() =>
        string.IsNullOrWhiteSpace(Winner) ? new() { ["winner"] = ["winner is required: the arm every choice answers from now on."] } : null;
}
