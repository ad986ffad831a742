namespace CanUdpMulticast.Tests.Core;

public sealed class CanBusCountersTests
{
    [Fact]
    public void Snapshot_EachCounterIndependent()
    {
        var counters = new CanBusCounters();
        counters.AddSent();
        counters.AddSent(4);
        counters.AddReceived(2);
        counters.AddFilteredOut(3);
        counters.AddDropped(5);
        counters.AddMalformed(6);
        counters.Snapshot().Should().Be(new CanBusStatistics(FramesSent: 5, FramesReceived: 2, FramesFilteredOut: 3, FramesDropped: 5, MalformedFrames: 6));
    }

    [Fact]
    public void Add_FromManyThreads_NothingLost()
    {
        var counters = new CanBusCounters();
        Parallel.For(0, 100_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            counters.AddSent();
            counters.AddReceived();
            counters.AddDropped();
        });
        var snapshot = counters.Snapshot();
        snapshot.FramesSent.Should().Be(100_000);
        snapshot.FramesReceived.Should().Be(100_000);
        snapshot.FramesDropped.Should().Be(100_000);
    }
}
