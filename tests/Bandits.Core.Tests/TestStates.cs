namespace Bandits.Core.Tests;

/// <summary>States built from counts, for tests.</summary>
internal static class TestStates
{
    /// <summary>A binary state whose arm i has successesᵢ ones and (trialsᵢ − successesᵢ) zeros.</summary>
    public static BanditState Binary(params (int Successes, int Trials)[] arms)
    {
        var state = new BanditState(RewardKind.Binary);
        for (int i = 0; i < arms.Length; i++)
        {
            state.AddArm($"arm-{i}");
            for (int n = 0; n < arms[i].Trials; n++) state.Observe(i, n < arms[i].Successes ? 1 : 0);
        }
        return state;
    }
}
