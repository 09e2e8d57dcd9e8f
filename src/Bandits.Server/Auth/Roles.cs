namespace Bandits.Server.Auth;

/// <summary>The roles of API keys and the authorization policies built on them (see docs/api.md).</summary>
public static class Roles
{
    public const string App = "app";
    public const string Producer = "producer";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static readonly string[] All = [App, Producer, Analyst, Admin];

    /// <summary>Policy names: each role's rights; admin satisfies every one.</summary>
    public const string CanChoose = "can-choose";
    public const string CanReward = "can-reward";
    public const string CanRead = "can-read";
    public const string CanAdminister = "can-administer";
}
