using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Notifications;

namespace CanUdpMulticast.Tests.Core;

/// <summary>One timeout convention across the public API: <c>TimeSpan? timeout</c>, null waits forever, zero polls.</summary>
public sealed class TimeoutConventionTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TryReceive_NullTimeout_WaitsUntilAFrameArrives()
    {
        var channel = "timeouts-" + Guid.NewGuid().ToString("N");
        using var receiver = new VirtualBus(channel);
        using var sender = new VirtualBus(channel);

        var waiting = Task.Run(() => (receiver.TryReceive(out var frame, null), frame));
        await Task.Delay(50);
        waiting.IsCompleted.Should().BeFalse("null waits (it is not a poll)");
        sender.Send(new CanMessage(0x123, [1]));

        var (received, message) = await waiting.WaitAsync(Long);
        received.Should().BeTrue();
        message.ArbitrationId.Should().Be(0x123u);
    }

    [Fact]
    public void TryReceive_ZeroTimeout_Polls()
    {
        using var bus = new VirtualBus("timeouts-" + Guid.NewGuid().ToString("N"));

        bus.TryReceive(out _, TimeSpan.Zero).Should().BeFalse();
    }

    [Fact]
    public async Task BufferedReaderGetMessage_NullTimeout_WaitsUntilStopped()
    {
        var reader = new BufferedReader();

        var waiting = Task.Run(() => reader.GetMessage(null));
        await Task.Delay(50);
        waiting.IsCompleted.Should().BeFalse("null waits (it is not a poll)");
        reader.Stop();

        (await waiting.WaitAsync(Long)).Should().BeNull();
    }

    [Fact]
    public void NotifierStop_NullTimeout_WaitsForTheLoopsAndReportsDone()
    {
        using var bus = new VirtualBus("timeouts-" + Guid.NewGuid().ToString("N"));
        var notifier = new Notifier(bus, [new BufferedReader()]);

        notifier.Stop(null).Should().BeTrue();
        Notifier.DefaultStopTimeout.Should().Be(TimeSpan.FromSeconds(5), "Stop() without a timeout documents this default");
    }
}
