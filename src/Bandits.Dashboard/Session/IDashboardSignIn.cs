namespace Bandits.Dashboard.Session;

/// <summary>Checks an API key for the dashboard; the host implements it over its key store.</summary>
public interface IDashboardSignIn
{
    SignInOutcome SignIn(string apiKey);
}

public enum DashboardRole
{
    Analyst,
    Admin,
}

/// <summary>Who is signed in: the key's name and what it may do here.</summary>
public sealed record DashboardUser(string Name, DashboardRole Role)
{
    public bool IsAdmin => Role == DashboardRole.Admin;
}

/// <summary>A signed-in user, or the reason the key was refused, in words for the sign-in page.</summary>
public sealed record SignInOutcome(DashboardUser? User, string? Refusal)
{
    public static SignInOutcome Accepted(DashboardUser user) => new(user, null);

    public static SignInOutcome Refused(string reason) => new(null, reason);
}
