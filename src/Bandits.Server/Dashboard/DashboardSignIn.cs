using Bandits.Dashboard.Session;
using Bandits.Server.Auth;
using Microsoft.Extensions.Options;

namespace Bandits.Server.Dashboard;

/// <summary>Dashboard sign-in over the API keys: analysts and admins are let in, other roles are told why not.</summary>
public sealed class DashboardSignIn(ApiKeyStore keys, IOptions<AuthOptions> auth) : IDashboardSignIn
{
    public SignInOutcome SignIn(string apiKey)
    {
        if (auth.Value.Disabled) return SignInOutcome.Accepted(new DashboardUser("anonymous", DashboardRole.Admin));
        if (string.IsNullOrWhiteSpace(apiKey)) return SignInOutcome.Refused("Enter an API key.");
        if (!keys.TryFind(apiKey.Trim(), out ApiKeyIdentity? identity)) return SignInOutcome.Refused("This API key is not known to the server.");
        if (identity.Roles.Contains(Roles.Admin)) return SignInOutcome.Accepted(new DashboardUser(identity.Name, DashboardRole.Admin));
        if (identity.Roles.Contains(Roles.Analyst)) return SignInOutcome.Accepted(new DashboardUser(identity.Name, DashboardRole.Analyst));
        return SignInOutcome.Refused(
            $"This key has the {string.Join(" and ", identity.Roles)} role{(identity.Roles.Length > 1 ? "s" : "")}; the dashboard needs an analyst or admin key.");
    }
}
