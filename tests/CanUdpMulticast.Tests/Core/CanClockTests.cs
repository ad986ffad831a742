namespace CanUdpMulticast.Tests.Core;

public sealed class CanClockTests
{
    [Fact]
    public void Now_IsUnixSecondsOfTheWallClock()
    {
        var before = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
        var now = CanClock.Now();
        var after = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
        now.Should().BeInRange(before, after);
    }

    [Fact]
    public void Now_HasSubMillisecondResolution()
    {
        // Over many readings, some carry a fraction of a millisecond (python-can's time.time() does too).
        var fractions = Enumerable.Range(0, 1000).Select(_ => CanClock.Now() * 1000 % 1).ToList();
        fractions.Should().Contain(f => f != 0);
    }
}
