using Bandits.Dashboard.Session;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace Bandits.Dashboard;

public static class DashboardServices
{
    /// <summary>The dashboard's own services; the host adds <see cref="Data.IDashboardData"/> and <see cref="IDashboardSignIn"/>.</summary>
    public static IServiceCollection AddDashboardComponents(this IServiceCollection services)
    {
        services.AddScoped<DashboardSession>();
        services.AddRadzenComponents();
        return services;
    }
}
