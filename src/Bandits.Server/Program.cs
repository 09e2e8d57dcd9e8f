using Bandits.Grains.Storage;
using Bandits.Server.Api;
using Bandits.Server.Auth;
using Bandits.Server.Dashboard;
using Bandits.Server.Hosting;

// Settings next to the binary apply wherever the server is started from; relative data
// directories still resolve against the current directory.
WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (args.Contains("healthcheck")) return await HealthProbe.RunAsync(builder.Configuration);
using ILoggerFactory startupLogging = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
ILogger startup = startupLogging.CreateLogger("Bandits.Startup");

BanditsDatabase database = DatabaseSetup.Resolve(builder.Configuration);
byte[] signingKey = await DatabaseSetup.PrepareAsync(database, startup);
if (args.Contains("migrate")) return 0; // operators: apply the schema and exit

builder.AddBanditsHosting().AddBanditsAuth(startup).AddBanditsSilo(database, signingKey).AddBanditsDashboard();
WebApplication app = builder.Build();
app.UseBanditsHosting().MapExperiments().MapAnalytics();
app.MapBaseline();
app.MapBanditsDashboard();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
