using Bandits.Grains.Decisions;

namespace Bandits.Grains.Tests;

public sealed class DecisionNumbersTests
{
    [Fact]
    public void NumbersAreHandedOutOnlyFromAReservationAndNeverTwice()
    {
        var numbers = new DecisionNumbers(reservationSize: 100);
        numbers.Restore(floor: 42);
        Assert.False(numbers.CanTake(1));
        Assert.Throws<InvalidOperationException>(() => numbers.Take(1));

        long end = numbers.NextReservationEnd(10);
        Assert.Equal(42 + 10 + 100, end);
        numbers.Reserved(end);
        Assert.Equal(42, numbers.Take(10));
        Assert.Equal(52, numbers.Take(100));
        Assert.False(numbers.CanTake(1));
        numbers.Reserved(end - 50); // an older reservation never shrinks the current one
        Assert.Equal(end, numbers.ReservedEnd);
    }
}
