using Microsoft.AspNetCore.Authentication;

namespace Bandits.Server.Auth;

/// <summary>
/// Challenges unauthenticated requests under a path before routing sees them. Routing answers a
/// wrong method (405) or media type (415) itself, before authorization runs, so a caller without
/// a key would otherwise learn which routes exist and what they accept; the contract answers 401
/// first. The result is cached for the request, so the authorization that follows costs nothing.
/// </summary>
public static class AuthenticationFirst
{
    public static IApplicationBuilder UseAuthenticationFirst(this IApplicationBuilder app, PathString prefix) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(prefix))
            {
                AuthenticateResult result = await context.AuthenticateAsync();
                if (!result.Succeeded)
                {
                    await context.ChallengeAsync();
                    return;
                }
                context.User = result.Principal;
            }
            await next(context);
        });
}
