using System.Diagnostics;

namespace CanUdpMulticast.Tests.Core;

/// <summary>The smallest push-based backend (<see cref="ChannelBus"/>) gets the whole <see cref="CanBus"/> behaviour.</summary>
public sealed class ChannelBusTests : IDisposable
{
    private readonly ChannelBus _sender = new();
    private readonly ChannelBus _receiver = new();

    public ChannelBusTests() => _sender.Peer = _receiver;

    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    [Fact]
    public void Receive_SentFrame_ArrivesAndIsCounted()
    {
        _sender.Send(new CanMessage { ArbitrationId = 0x123, Data = [1, 2] });
        var received = _receiver.Receive(TimeSpan.FromSeconds(5));
        received.Should().NotBeNull();
        received!.Value.ArbitrationId.Should().Be(0x123);
        _receiver.Statistics.FramesReceived.Should().Be(1);
        _sender.Statistics.FramesSent.Should().Be(1);
    }

    [Fact]
    public void Receive_Timeout_NeverReturnsEarly()
    {
        var watch = Stopwatch.StartNew();
        _receiver.Receive(TimeSpan.FromMilliseconds(150)).Should().BeNull();
        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public void TryReceive_ZeroTimeout_RejectedFrameDoesNotHideMatchingOne()
    {
        _receiver.SetFilters([new CanFilter(0x200, 0x7FF)]);
        _sender.Send(new CanMessage { ArbitrationId = 0x100 });
        _sender.Send(new CanMessage { ArbitrationId = 0x200 });
        _receiver.TryReceive(out var message).Should().BeTrue();
        message.ArbitrationId.Should().Be(0x200);
        _receiver.Statistics.FramesFilteredOut.Should().Be(1);
    }

    [Fact]
    public void ReceiveBatch_TakesWhatIsThereAfterTheFirst()
    {
        for (var id = 1; id <= 5; id++)
        {
            _sender.Send(new CanMessage { ArbitrationId = (uint)id });
        }

        var destination = new CanMessage[8];
        _receiver.ReceiveBatch(destination, TimeSpan.FromSeconds(5)).Should().Be(5);
        destination.Take(5).Select(m => m.ArbitrationId).Should().Equal(1u, 2u, 3u, 4u, 5u);
    }

    [Fact]
    public async Task ReceiveAsync_FrameSentLater_Completes()
    {
        var pending = _receiver.ReceiveAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        _sender.Send(new CanMessage { ArbitrationId = 7 });
        (await pending).ArbitrationId.Should().Be(7u);
    }

    [Fact]
    public async Task Dispose_WakesBlockedReceiveAndAsyncReceive()
    {
        var blocked = Task.Run(() => _receiver.Receive());
        var pending = _receiver.ReceiveAsync().AsTask();
        await Task.Delay(100);
        _receiver.Dispose();
        await FluentActions.Awaiting(() => blocked.WaitAsync(TimeSpan.FromSeconds(5))).Should().ThrowAsync<ObjectDisposedException>();
        await FluentActions.Awaiting(() => pending.WaitAsync(TimeSpan.FromSeconds(5))).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task ReadAllAsync_EndsWhenDisposed()
    {
        _sender.Send(new CanMessage { ArbitrationId = 1 });
        _sender.Send(new CanMessage { ArbitrationId = 2 });
        var ids = new List<uint>();
        await foreach (var message in _receiver.ReadAllAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token))
        {
            ids.Add(message.ArbitrationId);
            if (ids.Count == 2)
            {
                _receiver.Dispose();
            }
        }

        ids.Should().Equal(1u, 2u);
    }

    [Fact]
    public void SendPeriodic_WorksOverTheBackend()
    {
        using var task = _sender.SendPeriodic(new CanMessage { ArbitrationId = 9 }, TimeSpan.FromMilliseconds(10));
        _receiver.Receive(TimeSpan.FromSeconds(5)).Should().NotBeNull();
        _receiver.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(9u);
    }
}
