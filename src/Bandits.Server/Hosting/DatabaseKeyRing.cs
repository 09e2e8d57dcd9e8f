using System.Data.Common;
using System.Xml.Linq;
using Bandits.Grains.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Bandits.Server.Hosting;

/// <summary>
/// Data Protection's key ring in the Bandits database (<c>bandits_data_protection_keys</c>), shared
/// by every silo: what one silo encrypted (the dashboard's sign-in kept in the browser), every silo
/// decrypts, after restarts too. The keys are stored as Data Protection writes them, unencrypted at
/// rest, like the decision-id signing key beside them: whoever can read the database can read both.
/// </summary>
public sealed class DatabaseKeyRing(BanditsDatabase database) : IXmlRepository
{
    /// <summary>The application name every silo shares: keys are isolated per application name.</summary>
    public const string ApplicationName = "bandits";

    // Data Protection's repository interface is synchronous; it is called at start and when keys
    // roll (every 90 days by default), never on a request's path.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using DbConnection connection = database.OpenAsync().GetAwaiter().GetResult();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM bandits_data_protection_keys ORDER BY created_at, name";
        using DbDataReader reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using DbConnection connection = database.OpenAsync().GetAwaiter().GetResult();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO bandits_data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @at)
            ON CONFLICT (name) DO UPDATE SET xml = excluded.xml
            """;
        Add(command, "@name", friendlyName);
        Add(command, "@xml", element.ToString(SaveOptions.DisableFormatting));
        Add(command, "@at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    /// <summary>Every silo's Data Protection on this key ring.</summary>
    public static void AddTo(IServiceCollection services, BanditsDatabase database)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(
            new ConfigureOptions<KeyManagementOptions>(options => options.XmlRepository = new DatabaseKeyRing(database)));
    }

    private static void Add(DbCommand command, string name, object value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
