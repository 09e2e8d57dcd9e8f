using Bandits.Dashboard;
using Bandits.Dashboard.Components;
using Bandits.Dashboard.Data;
using Bandits.Dashboard.Session;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;

namespace Bandits.Server.Dashboard;

/// <summary>The analysts' dashboard, served by every silo at / over a Blazor Server circuit (docs/dashboard.md).</summary>
public static class DashboardSetup
{
    public static WebApplicationBuilder AddBanditsDashboard(this WebApplicationBuilder builder)
    {
        // The static files of the component libraries from the build output too (outside
        // Development, as the tests run it); a published server has them in wwwroot instead.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddDashboardComponents();
        builder.Services.AddSingleton<IDashboardSignIn, DashboardSignIn>();
        builder.Services.AddSingleton<IDashboardData, DashboardData>();
        return builder;
    }

    /// <summary>After <c>UseBanditsHosting</c>: antiforgery must come after routing and authentication.</summary>
    public static WebApplication MapBanditsDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().Add(endpoint =>
        {
            // The dashboard's forms run in the circuit, so a page is only ever read; a POST to a
            // page would otherwise get the antiforgery check's 400 in text/html, not a problem.
            if (endpoint.Metadata.OfType<ComponentTypeMetadata>().Any())
                endpoint.Metadata.Add(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        });
        return app;
    }
}
