using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace Bandits.Grains.Serving;

public static class ServingRegistration
{
    /// <summary>
    /// Registers the silo's <see cref="ChoiceCache"/> with its <see cref="IServingCopies"/> service,
    /// <see cref="RewardForwarding"/> and <see cref="DecisionOutbox"/> (with its part in the silo lifecycle).
    /// </summary>
    public static IServiceCollection AddChoiceServing(this IServiceCollection services) =>
        services.AddGrainService<ServingCopiesService>()
            .AddSingleton<IServingCopiesClient, ServingCopiesClient>()
            .AddSingleton<ChoiceCache>()
            .AddSingleton<RewardForwarding>()
            .AddSingleton<DecisionOutbox>()
            .AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(s => s.GetRequiredService<DecisionOutbox>());
}
