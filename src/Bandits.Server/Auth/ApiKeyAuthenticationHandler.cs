using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bandits.Server.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> against the configured keys. A plain
/// <see cref="IAuthenticationHandler"/> rather than the framework's <c>AuthenticationHandler</c>
/// base, which makes a logger and reads options for every request: this one only hashes the
/// key and hands out the key's shared principal.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(ApiKeyStore keys, IOptions<AuthOptions> auth) : IAuthenticationHandler
{
    public const string SchemeName = "ApiKey";

    private static readonly Task<AuthenticateResult> NoKey = Task.FromResult(AuthenticateResult.NoResult());
    private static readonly Task<AuthenticateResult> UnknownKey = Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
    private static readonly Task<AuthenticateResult> Anonymous = Succeeded(new ApiKeyIdentity("anonymous", Roles.All));

    private HttpContext context = null!;
    private Task<AuthenticateResult>? result; // the framework may ask more than once per request

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        this.context = context;
        return Task.CompletedTask;
    }

    public Task<AuthenticateResult> AuthenticateAsync() => result ??= Authenticate();

    public Task ChallengeAsync(AuthenticationProperties? properties)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    public Task ForbidAsync(AuthenticationProperties? properties)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private Task<AuthenticateResult> Authenticate()
    {
        if (auth.Value.Disabled) return Anonymous;
        ReadOnlySpan<char> header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return NoKey;
        return keys.TryFind(header["Bearer ".Length..].Trim(), out ApiKeyIdentity? identity) ? identity.Authenticated : UnknownKey;
    }

    internal static Task<AuthenticateResult> Succeeded(ApiKeyIdentity identity) =>
        Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(identity.Principal, SchemeName)));
}
