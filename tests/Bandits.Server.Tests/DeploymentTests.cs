using System.Reflection;
using System.Text.RegularExpressions;
using Bandits.Server.Auth;
using Bandits.Server.Hosting;
using Microsoft.AspNetCore.Hosting;
using Orleans.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Bandits.Server.Tests;

/// <summary>
/// docker-compose.yml, the Dockerfile and nginx.conf cannot run here (no container engine), so
/// they are checked by reading: every service, command, port and setting they use must be one
/// that the server really has.
/// </summary>
public sealed partial class DeploymentTests
{
    private static readonly string Root = FindRoot();
    private static readonly string[] Silos = ["silo1", "silo2", "silo3"];

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Bandits.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Bandits.sln not found.");
    }

    private static Dictionary<string, object> Compose()
    {
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        // MergingParser resolves the "<<: *anchor" merge keys, as compose does.
        var parser = new MergingParser(new Parser(reader));
        return (Dictionary<string, object>)new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(parser)!
            .ToDictionary(p => (string)p.Key, p => p.Value);
    }

    private static Dictionary<object, object> Service(string name) =>
        (Dictionary<object, object>)((Dictionary<object, object>)Compose()["services"])[name];

    private static Dictionary<string, string> Environment(string service) =>
        ((Dictionary<object, object>)Service(service)["environment"]).ToDictionary(p => (string)p.Key, p => (string)p.Value);

    [Fact]
    public void ComposeHasTheDatabaseAMigrationThreeSilosAndALoadBalancer()
    {
        var services = (Dictionary<object, object>)Compose()["services"];
        Assert.Equal(["lb", "migrate", "postgres", "silo1", "silo2", "silo3"], services.Keys.Cast<string>().Order());
        Assert.Equal(["migrate"], ((List<object>)Service("migrate")["command"]).Cast<string>());
        foreach (string silo in Silos)
        {
            Assert.Equal(".", Service(silo)["build"]);
            Assert.Equal("service_completed_successfully",
                ((Dictionary<object, object>)((Dictionary<object, object>)Service(silo)["depends_on"])["migrate"])["condition"]);
        }
        Assert.Equal(["5080:80"], ((List<object>)Service("lb")["ports"]).Cast<string>());
    }

    /// <summary>Every environment variable of the server's services binds to a setting the server reads.</summary>
    [Fact]
    public void EverySettingInComposeIsOneTheServerReads()
    {
        foreach (string service in Silos.Append("migrate"))
        {
            foreach ((string key, string value) in Environment(service))
                Assert.True(IsKnownSetting(key), $"{service}: the server reads no setting '{key}'.");
            Dictionary<string, string> environment = Environment(service);
            Assert.Equal("Postgres", environment["Storage__Provider"]);
            Assert.Contains("Host=postgres;", environment["Storage__ConnectionString"]);
            Assert.Contains("admin", environment["Auth__Keys__0__Roles__0"]);
        }
        Dictionary<string, string> postgres = ((Dictionary<object, object>)Service("postgres")["environment"]).ToDictionary(p => (string)p.Key, p => (string)p.Value);
        string connection = Environment("silo1")["Storage__ConnectionString"];
        Assert.Contains($"Database={postgres["POSTGRES_DB"]};", connection);
        Assert.Contains($"Username={postgres["POSTGRES_USER"]};", connection);
    }

    private static bool IsKnownSetting(string key)
    {
        string[] path = key.Split("__");
        return path switch
        {
            ["ASPNETCORE_ENVIRONMENT"] => true,
            [var urls] when urls.Equals(WebHostDefaults.ServerUrlsKey, StringComparison.OrdinalIgnoreCase) => true,
            ["Logging", "Json"] => true, // read by HostingSetup
            [StorageOptions.Section, var name] => HasProperty<StorageOptions>(name),
            [BanditsClusterOptions.Section, "Membership", var name] => HasProperty<ClusterMembershipOptions>(name),
            [BanditsClusterOptions.Section, var name] => HasProperty<BanditsClusterOptions>(name),
            [AuthOptions.Section, "Keys", var index, var name] => int.TryParse(index, out _) && HasProperty<ApiKeyOptions>(name),
            [AuthOptions.Section, "Keys", var index, "Roles", var role] => int.TryParse(index, out _) && int.TryParse(role, out _),
            [AuthOptions.Section, var name] => HasProperty<AuthOptions>(name),
            _ => false,
        };
    }

    private static bool HasProperty<T>(string name) =>
        typeof(T).GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { CanWrite: true };

    private static string Nginx() => File.ReadAllText(Path.Combine(Root, "deploy", "nginx.conf"));

    /// <summary>The body of each <c>upstream name { … }</c> block, by name.</summary>
    private static Dictionary<string, string> Upstreams() =>
        Upstream().Matches(Nginx()).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    /// <summary>The body of each <c>location path { … }</c> block, by path.</summary>
    private static Dictionary<string, string> Locations() =>
        Location().Matches(Nginx()).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    private static string UpstreamOf(string location) =>
        Regex.Match(Locations()[location], @"proxy_pass\s+http://([\w-]+);").Groups[1].Value;

    [Fact]
    public void TheLoadBalancerSpreadsOverEverySiloOnItsHttpPort()
    {
        string nginx = Nginx();
        string port = new Uri(Environment("silo1")["Urls"].Replace("0.0.0.0", "localhost")).Port.ToString();
        Dictionary<string, string> upstreams = Upstreams();
        Assert.Equal(["bandits", "bandits_dashboard"], upstreams.Keys.Order());
        foreach ((string name, string body) in upstreams)
            Assert.True(Silos.Select(s => $"{s}:{port}").SequenceEqual(UpstreamServer().Matches(body).Select(m => m.Groups[1].Value)), $"upstream {name} lists every silo");
        Assert.Matches(@"listen\s+80;", nginx);
        string volume = ((List<object>)Service("lb")["volumes"]).Cast<string>().Single();
        Assert.StartsWith("./deploy/nginx.conf:", volume);
    }

    [Fact]
    public void TheImageExposesTheConfiguredPortsRunsUnprivilegedAndChecksReadiness()
    {
        string dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        Dictionary<string, string> silo = Environment("silo1");
        string[] exposed = Regex.Match(dockerfile, @"^EXPOSE (.+)$", RegexOptions.Multiline).Groups[1].Value.Split(' ');
        Assert.Contains(new Uri(silo["Urls"].Replace("0.0.0.0", "localhost")).Port.ToString(), exposed);
        Assert.Contains(silo["Cluster__SiloPort"], exposed);
        Assert.Contains(silo["Cluster__GatewayPort"], exposed);
        Assert.Matches(@"(?m)^USER \$APP_UID$", dockerfile);
        Assert.Contains("""CMD ["dotnet", "Bandits.Server.dll", "healthcheck"]""", dockerfile);
        Assert.Contains("""ENTRYPOINT ["dotnet", "Bandits.Server.dll"]""", dockerfile);
        // Every project file the restore layer copies exists.
        foreach (Match copy in Regex.Matches(dockerfile, @"^COPY (src/\S+\.csproj) ", RegexOptions.Multiline))
            Assert.True(File.Exists(Path.Combine(Root, copy.Groups[1].Value)), copy.Groups[1].Value);
    }

    /// <summary>The API: any silo, the least busy; connections kept open; retried only when no silo was reached.</summary>
    [Fact]
    public void TheApiGoesToTheLeastBusySiloOverKeptConnections()
    {
        string api = Locations()["/v1/"];
        string upstream = Upstreams()[UpstreamOf("/v1/")];
        Assert.Matches(@"(?m)^\s*least_conn;", upstream);
        Assert.Matches(@"(?m)^\s*keepalive\s+\d+;", upstream);
        Assert.Contains("proxy_http_version 1.1;", api);
        Assert.Contains("""proxy_set_header Connection "";""", api); // else nginx closes each upstream connection
        Assert.Matches(@"(?m)^\s*proxy_next_upstream error;", api); // never timeout: a reward must not be sent twice
    }

    /// <summary>The dashboard: its circuit's WebSocket is upgraded, and a browser stays on one silo (the circuit lives there).</summary>
    [Fact]
    public void TheDashboardUpgradesToWebSocketsAndKeepsABrowserOnOneSilo()
    {
        string nginx = Nginx();
        Assert.Matches(@"map\s+\$http_upgrade\s+\$connection_upgrade\s*\{\s*default\s+upgrade;\s*''\s+'';\s*\}", nginx);
        string dashboard = Locations()["/"];
        string upstream = Upstreams()[UpstreamOf("/")];
        Assert.Matches(@"(?m)^\s*hash\s+\$remote_addr\s+consistent;", upstream);
        Assert.DoesNotMatch(@"(?m)^\s*least_conn;", upstream);
        Assert.Contains("proxy_http_version 1.1;", dashboard);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", dashboard);
        Assert.Contains("proxy_set_header Connection $connection_upgrade;", dashboard);
        Assert.Matches(@"(?m)^\s*proxy_next_upstream error;", dashboard);
        // Every other path reaches the dashboard's location: the API has its own.
        Assert.Equal(["/", "/v1/"], Locations().Keys.Order());
    }

    /// <summary>The restore layer has the project file of every project the server builds from, or restore fails in the image.</summary>
    [Fact]
    public void TheImageRestoresEveryProjectTheServerReferences()
    {
        string dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        var copied = Regex.Matches(dockerfile, @"^COPY (src/\S+\.csproj) ", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
        var needed = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(["src/Bandits.Server/Bandits.Server.csproj"]);
        while (pending.TryDequeue(out string? project))
        {
            if (!needed.Add(project)) continue;
            string directory = Path.GetDirectoryName(project)!;
            foreach (Match reference in Regex.Matches(File.ReadAllText(Path.Combine(Root, project)), @"<ProjectReference Include=""([^""]+)""" ))
                pending.Enqueue(Path.GetRelativePath(Root, Path.GetFullPath(Path.Combine(Root, directory, reference.Groups[1].Value.Replace('\\', '/')))).Replace('\\', '/'));
        }
        Assert.Empty(needed.Except(copied));
    }

    [GeneratedRegex(@"^\s*server\s+([\w.-]+:\d+)", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"upstream\s+([\w-]+)\s*\{([^}]*)\}")]
    private static partial Regex Upstream();

    [GeneratedRegex(@"location\s+(\S+)\s*\{([^}]*)\}")]
    private static partial Regex Location();
}
