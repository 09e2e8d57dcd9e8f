using Bandits.Grains.Storage;
using Bandits.Server.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Bandits.Server.Tests;

/// <summary>
/// What one silo encrypts (the dashboard's sign-in kept in the browser), another silo, or the same
/// one restarted, decrypts: the Data Protection key ring lives in the shared database.
/// </summary>
public sealed class DatabaseKeyRingTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task WhatOneServerProtectsAnotherUnprotects(string kind)
    {
        BanditsDatabase database = kind == "sqlite"
            ? BanditsDatabase.Embedded(Directory.CreateTempSubdirectory("bandits-keyring-").FullName)
            : BanditsDatabase.Postgres(await PostgresDatabases.CreateAsync());
        await SchemaMigrator.ApplyAsync(database);

        string secret = Protector(database).Protect("the dashboard's kept key");

        Assert.Equal("the dashboard's kept key", Protector(database).Unprotect(secret));
    }

    /// <summary>A server's Data Protection as the server configures it: its own service provider, so its own key manager and cache.</summary>
    private static IDataProtector Protector(BanditsDatabase database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        DatabaseKeyRing.AddTo(services, database);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("Bandits.Tests");
    }
}
