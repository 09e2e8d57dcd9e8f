using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime.Services;
using Orleans.Services;

namespace Bandits.Grains.Serving;

/// <summary>
/// Each silo's door to its <see cref="ChoiceCache"/> for the experiments' grains: when an
/// experiment's arms change or it is deleted, its grain tells every silo that holds a copy to
/// drop it, rather than answer only once every copy has expired.
/// </summary>
public interface IServingCopies : IGrainService
{
    /// <summary>Drops this silo's copy of the experiment, and the one a renewal on its way back may bring.</summary>
    Task WithdrawAsync(string experimentId);
}

/// <summary>The experiments' grains' way to one silo's <see cref="IServingCopies"/>.</summary>
public interface IServingCopiesClient : IGrainServiceClient<IServingCopies>
{
    IServingCopies On(SiloAddress silo);
}

[Reentrant]
internal sealed class ServingCopiesService(GrainId id, Silo silo, ILoggerFactory loggers, ChoiceCache cache)
    : GrainService(id, silo, loggers), IServingCopies
{
    public Task WithdrawAsync(string experimentId)
    {
        cache.Withdraw(experimentId);
        return Task.CompletedTask;
    }
}

internal sealed class ServingCopiesClient(IServiceProvider services) : GrainServiceClient<IServingCopies>(services), IServingCopiesClient
{
    public IServingCopies On(SiloAddress silo) => GetGrainService(silo);
}
