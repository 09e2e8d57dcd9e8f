namespace Bandits.Server.Auth;

/// <summary>API keys and their roles (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Turns authentication off: every caller is an admin. Must be set explicitly.</summary>
    public bool Disabled { get; set; }

    public List<ApiKeyOptions> Keys { get; set; } = [];
}

/// <summary>One API key: give <see cref="Key"/> or <see cref="KeyHash"/> (<c>sha256:&lt;hex&gt;</c>).</summary>
public sealed class ApiKeyOptions
{
    public string Name { get; set; } = "";

    public string? Key { get; set; }

    public string? KeyHash { get; set; }

    public List<string> Roles { get; set; } = [];
}
