namespace Bandits.Core.Policies;

/// <summary>
/// Tracks the arm with the highest value, breaking exact ties uniformly at random with
/// reservoir sampling, so no arm is favoured by its position.
/// </summary>
internal struct RandomArgMax
{
    private double best;
    private int ties;

    public RandomArgMax()
    {
        best = double.NegativeInfinity;
        Index = -1;
    }

    /// <summary>The winner so far, or −1 if nothing was offered.</summary>
    public int Index { get; private set; }

    public void Offer(int arm, double value, Random random)
    {
        if (Index < 0 || value > best)
        {
            best = value;
            Index = arm;
            ties = 1;
        }
        else if (value == best && random.Next(++ties) == 0)
        {
            Index = arm;
        }
    }

    public readonly int Result =>
        Index >= 0 ? Index : throw new InvalidOperationException("The experiment has no active arm to choose.");
}
