namespace Bandits.Core.Statistics;

/// <summary>What an analyst reads about one arm.</summary>
/// <param name="Name">The arm's name.</param>
/// <param name="Retired">Whether the arm is retired (never chosen again).</param>
/// <param name="Observations">Rewards observed, never discounted.</param>
/// <param name="RewardSum">Sum of rewards observed, never discounted.</param>
/// <param name="Mean">Posterior mean of the arm's reward (with the experiment's discount applied).</param>
/// <param name="Lower">Lower end of the central 95% credible interval.</param>
/// <param name="Upper">Upper end of the central 95% credible interval.</param>
/// <param name="ProbabilityBest">Posterior probability that this arm has the highest mean among the active arms (0 when retired).</param>
/// <param name="ExpectedLoss">E[max over active arms of θ − θ of this arm]: the reward per decision given up,
/// in expectation, by playing this arm for good ("value remaining" when it is the leader).</param>
/// <param name="Evidence">The discounted evidence the posterior is computed from (the undiscounted totals when γ = 1).</param>
public sealed record ArmSummary(
    string Name,
    bool Retired,
    long Observations,
    double RewardSum,
    double Mean,
    double Lower,
    double Upper,
    double ProbabilityBest,
    double ExpectedLoss,
    ArmEvidence Evidence);
