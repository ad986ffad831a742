using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Notifications;

namespace CanUdpMulticast.Tests.Notifications;

public sealed class BufferedReaderTests
{
    private static CanMessage Frame(uint id) => new(id, [(byte)id]);

    [Fact]
    public void GetMessage_ReturnsFramesInArrivalOrder()
    {
        using var reader = new BufferedReader();
        reader.OnMessageReceived(Frame(1));
        reader.OnMessageReceived(Frame(2));

        reader.GetMessage()!.Value.ArbitrationId.Should().Be(1);
        reader.GetMessage()!.Value.ArbitrationId.Should().Be(2);
        reader.GetMessage(TimeSpan.Zero).Should().BeNull();
    }

    [Fact]
    public void GetMessage_NothingArrives_ReturnsNullAfterTheTimeout()
    {
        using var reader = new BufferedReader();
        var started = System.Diagnostics.Stopwatch.StartNew();

        reader.GetMessage(TimeSpan.FromMilliseconds(50)).Should().BeNull();

        started.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(45));
    }

    [Fact]
    public async Task GetMessage_Blocking_WakesWhenAFrameArrives()
    {
        using var reader = new BufferedReader();
        var waiting = Task.Run(() => reader.GetMessage(Timeout.InfiniteTimeSpan));

        reader.OnMessageReceived(Frame(5));

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10)))!.Value.ArbitrationId.Should().Be(5);
    }

    [Fact]
    public async Task Stop_WakesABlockedReaderWithNull()
    {
        using var reader = new BufferedReader();
        var waiting = Task.Run(() => reader.GetMessage(Timeout.InfiniteTimeSpan));

        reader.Stop();

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeNull();
    }

    [Fact]
    public void AfterStop_QueuedFramesRemainButNewOnesAreRefusedAndNothingBlocks()
    {
        using var reader = new BufferedReader();
        reader.OnMessageReceived(Frame(1));

        reader.Stop();

        reader.IsStopped.Should().BeTrue();
        reader.Invoking(r => r.OnMessageReceived(Frame(2))).Should().Throw<InvalidOperationException>().WithMessage("*stopped*");
        reader.GetMessage(Timeout.InfiniteTimeSpan)!.Value.ArbitrationId.Should().Be(1);
        reader.GetMessage(Timeout.InfiniteTimeSpan).Should().BeNull();
    }

    [Fact]
    public void Bounded_DropNewest_KeepsTheFirstFramesAndCountsTheRest()
    {
        using var reader = new BufferedReader(capacity: 2);

        for (uint id = 1; id <= 5; id++)
        {
            reader.OnMessageReceived(Frame(id));
        }

        reader.Count.Should().Be(2);
        reader.DroppedCount.Should().Be(3);
        reader.GetMessage()!.Value.ArbitrationId.Should().Be(1);
    }

    [Fact]
    public void GetMessage_NegativeTimeout_Throws()
    {
        using var reader = new BufferedReader();

        reader.Invoking(r => r.GetMessage(TimeSpan.FromSeconds(-2))).Should().Throw<ArgumentOutOfRangeException>();
    }
}
