using System.Security.Cryptography;
using Bandits.Server.Hosting;

namespace Bandits.Server.Auth;

/// <summary>Registers API-key authentication and the role policies.</summary>
public static class AuthSetup
{
    public static WebApplicationBuilder AddBanditsAuth(this WebApplicationBuilder builder, ILogger logger)
    {
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (options.Keys.Count == 0 && !options.Disabled)
        {
            if (!builder.Environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "No API keys are configured (Auth:Keys). Configure keys, or set Auth:Disabled=true explicitly to run without authentication.");
            }
            options.Keys.Add(DevelopmentAdminKey(builder.Configuration, logger));
        }
        if (options.Disabled) logger.LogWarning("Authentication is disabled (Auth:Disabled=true): every caller is an admin");

        builder.Services.Configure<AuthOptions>(o => (o.Disabled, o.Keys) = (options.Disabled, options.Keys));
        builder.Services.AddSingleton(new ApiKeyStore(options.Keys));
        builder.Services.AddTransient<ApiKeyAuthenticationHandler>();
        builder.Services.AddAuthentication(o =>
        {
            o.AddScheme<ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, displayName: null);
            o.DefaultScheme = ApiKeyAuthenticationHandler.SchemeName;
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.CanChoose, p => p.RequireRole(Roles.App, Roles.Admin))
            .AddPolicy(Roles.CanReward, p => p.RequireRole(Roles.Producer, Roles.Admin))
            .AddPolicy(Roles.CanRead, p => p.RequireRole(Roles.Analyst, Roles.Admin))
            .AddPolicy(Roles.CanAdminister, p => p.RequireRole(Roles.Admin));
        return builder;
    }

    /// <summary>
    /// In Development without keys: an admin key generated once and kept in the data
    /// directory, so a first run works with no set-up and the key survives restarts.
    /// </summary>
    private static ApiKeyOptions DevelopmentAdminKey(IConfiguration configuration, ILogger logger)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        Directory.CreateDirectory(storage.DataDirectory);
        string path = Path.GetFullPath(Path.Combine(storage.DataDirectory, "admin.key"));
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        logger.LogWarning("No API keys configured: using the development admin key in {KeyPath} (Authorization: Bearer <its content>)", path);
        return new ApiKeyOptions { Name = "development-admin", Key = File.ReadAllText(path).Trim(), Roles = [Roles.Admin] };
    }
}
