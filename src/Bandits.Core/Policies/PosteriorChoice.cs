using Bandits.Core.Posteriors;

namespace Bandits.Core.Policies;

/// <summary>Choice probabilities of Thompson sampling: the posterior probability of being best.</summary>
internal static class PosteriorChoice
{
    public static void ProbabilityBest<T>(BanditState state, Func<int, T> posteriorOf, Span<double> probabilities)
        where T : struct, IMeanPosterior
    {
        int active = state.ActiveArmCount;
        if (active == 0) throw new InvalidOperationException("The experiment has no active arm to choose.");
        var posteriors = new T[active];
        var best = new double[active];
        for (int i = 0, a = 0; i < state.ArmCount; i++)
            if (state.IsActive(i)) posteriors[a++] = posteriorOf(i);
        ProbabilityOfBeingBest.Compute<T>(posteriors, best);
        for (int i = 0, a = 0; i < state.ArmCount; i++)
            probabilities[i] = state.IsActive(i) ? best[a++] : 0;
    }
}
