using Microsoft.Extensions.DependencyInjection;

namespace Bandits.Grains.Serving;

public static class ServingRegistration
{
    /// <summary>
    /// Registers the silo's <see cref="ChoiceCache"/>, <see cref="RewardForwarding"/> and
    /// <see cref="DecisionOutbox"/> (with its part in the silo lifecycle).
    /// </summary>
    public static IServiceCollection AddChoiceServing(this IServiceCollection services) =>
        services.AddSingleton<ChoiceCache>()
            .AddSingleton<RewardForwarding>()
            .AddSingleton<DecisionOutbox>()
            .AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(s => s.GetRequiredService<DecisionOutbox>());
}
