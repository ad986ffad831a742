using System.Diagnostics;
using CanUdpMulticast.Interfaces.Virtual;

namespace CanUdpMulticast.Tests.Core;

/// <summary>The behaviour <see cref="CanBus"/> gives every backend (timeouts, filters, batches, statistics, disposal), on <see cref="VirtualBus"/>.</summary>
public sealed class CanBusTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);
    private readonly string _channel = "canbus-tests-" + Guid.NewGuid().ToString("N");
    private readonly VirtualBus _sender;
    private readonly VirtualBus _receiver;

    public CanBusTests()
    {
        _sender = new VirtualBus(_channel);
        _receiver = new VirtualBus(_channel);
    }

    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    private static CanMessage Frame(uint id, byte tag = 0) => new() { ArbitrationId = id, Data = [tag] };

    [Fact]
    public void Receive_ZeroTimeoutNothingQueued_NullAtOnce()
    {
        var watch = Stopwatch.StartNew();
        _receiver.Receive(TimeSpan.Zero).Should().BeNull();
        _receiver.TryReceive(out _).Should().BeFalse();
        watch.Elapsed.Should().BeLessThan(Long);
    }

    [Fact]
    public void Receive_TimeoutNothingArrives_NullAfterAtLeastTheTimeout()
    {
        var watch = Stopwatch.StartNew();
        _receiver.Receive(TimeSpan.FromMilliseconds(150)).Should().BeNull();
        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public async Task Receive_FilteredFramesKeepArriving_TimeoutIsNotRestartedByThem()
    {
        _receiver.SetFilters([new CanFilter(0x7FF, 0x7FF)]);
        using var stop = new CancellationTokenSource();
        var noise = Task.Factory.StartNew(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    _sender.Send(Frame(0x100));
                    Thread.Sleep(1); // pacing only
                }
            },
            TaskCreationOptions.LongRunning);

        var watch = Stopwatch.StartNew();
        var received = _receiver.Receive(TimeSpan.FromMilliseconds(300));
        var elapsed = watch.Elapsed;
        await stop.CancelAsync();
        await noise.WaitAsync(Long);

        received.Should().BeNull();
        elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300));
        elapsed.Should().BeLessThan(Long, "each filtered frame wakes the receiver but does not restart its timeout");
        _receiver.Statistics.FramesFilteredOut.Should().BePositive();
    }

    [Fact]
    public void Receive_ZeroTimeoutFilteredFramesBeforeAMatch_ReturnsTheMatch()
    {
        // python-can would return None here (its recv(0) gives up after the first filtered frame).
        _receiver.SetFilters([new CanFilter(0x200, 0x7FF)]);
        _sender.Send(Frame(0x100, 1));
        _sender.Send(Frame(0x101, 2));
        _sender.Send(Frame(0x200, 3));
        var message = _receiver.Receive(TimeSpan.Zero);
        message.Should().NotBeNull();
        message!.Value.Data[0].Should().Be(3);
        _receiver.Statistics.FramesFilteredOut.Should().Be(2);
    }

    [Fact]
    public async Task Receive_NullTimeout_WaitsUntilAFrameArrives()
    {
        var receive = Task.Factory.StartNew(() => _receiver.Receive(), TaskCreationOptions.LongRunning);
        (await Task.WhenAny(receive, Task.Delay(50))).Should().NotBeSameAs(receive, "nothing was sent yet");
        _sender.Send(Frame(0x55));
        (await receive.WaitAsync(Long))!.Value.ArbitrationId.Should().Be(0x55);
    }

    [Theory]
    [InlineData(365 * 24 * 3600.0)]
    [InlineData(double.PositiveInfinity)]
    public async Task Receive_TimeoutLongerThanMonitorWaitAllows_WaitsForTheFrame(double seconds)
    {
        // Monitor.Wait takes at most int.MaxValue milliseconds (24.8 days); longer timeouts must still work.
        var timeout = double.IsPositiveInfinity(seconds) ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
        var receive = Task.Factory.StartNew(() => _receiver.Receive(timeout), TaskCreationOptions.LongRunning);
        (await Task.WhenAny(receive, Task.Delay(50))).Should().NotBeSameAs(receive, "nothing was sent yet");
        _sender.Send(Frame(0x58));
        (await receive.WaitAsync(Long))!.Value.ArbitrationId.Should().Be(0x58);
    }

    [Fact]
    public void Receive_InfiniteTimeSpan_MeansNoTimeout()
    {
        _sender.Send(Frame(0x56));
        _receiver.Receive(Timeout.InfiniteTimeSpan)!.Value.ArbitrationId.Should().Be(0x56);
        _sender.Send(Frame(0x57));
        _receiver.TryReceive(out var message, Timeout.InfiniteTimeSpan).Should().BeTrue();
        message.ArbitrationId.Should().Be(0x57);
    }

    [Fact]
    public void TryReceive_NegativeTimeout_Throws() =>
        FluentActions.Invoking(() => _receiver.TryReceive(out _, TimeSpan.FromMilliseconds(-5))).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void Receive_FiltersChangedWhileFramesQueued_NewFiltersApplyAtReceiveTime()
    {
        _sender.Send(Frame(0x100));
        _sender.Send(Frame(0x200));
        _receiver.SetFilters([new CanFilter(0x200, 0x7FF)]);
        _receiver.Receive(TimeSpan.Zero)!.Value.ArbitrationId.Should().Be(0x200);
    }

    [Fact]
    public void SetFilters_Filters_ReflectsTheLastCall()
    {
        CanFilter[] filters = [new(1, 2), new(3, 4, Extended: true), new(5, 6, Inverted: true)];
        _receiver.SetFilters(filters);
        _receiver.Filters.Should().Equal(filters);
        filters[0] = new CanFilter(9, 9);
        _receiver.Filters[0].Should().Be(new CanFilter(1, 2), "the bus keeps its own copy");
        _receiver.SetFilters([]);
        _receiver.Filters.Should().BeEmpty();
        _receiver.SetFilters(null);
        _receiver.Filters.Should().BeEmpty();
    }

    [Fact]
    public void ReceiveBatch_FilteredFramesInterleaved_MatchingOnesCompactedInOrder()
    {
        _receiver.SetFilters([new CanFilter(0x200, 0x700)]);
        for (byte i = 0; i < 10; i++)
        {
            _sender.Send(Frame(i % 2 == 0 ? 0x100u : 0x200u + i, i));
        }

        var destination = new CanMessage[16];
        var count = _receiver.ReceiveBatch(destination, TimeSpan.Zero);
        count.Should().Be(5);
        destination[..count].Select(m => (int)m.Data[0]).Should().Equal(1, 3, 5, 7, 9);
        _receiver.Statistics.FramesFilteredOut.Should().Be(5);
        _receiver.Statistics.FramesReceived.Should().Be(5);
    }

    [Fact]
    public void ReceiveBatch_MoreQueuedThanRoom_FillsTheDestinationAndLeavesTheRest()
    {
        for (byte i = 0; i < 10; i++)
        {
            _sender.Send(Frame(0x10, i));
        }

        var destination = new CanMessage[4];
        _receiver.ReceiveBatch(destination, TimeSpan.Zero).Should().Be(4);
        destination.Select(m => (int)m.Data[0]).Should().Equal(0, 1, 2, 3);
        _receiver.ReceiveBatch(new CanMessage[100], TimeSpan.Zero).Should().Be(6);
    }

    [Fact]
    public void ReceiveBatch_EmptyDestination_ZeroAndNothingTaken()
    {
        _sender.Send(Frame(0x10));
        _receiver.ReceiveBatch([], TimeSpan.Zero).Should().Be(0);
        _receiver.Receive(TimeSpan.Zero).Should().NotBeNull();
    }

    [Fact]
    public void ReceiveBatch_NothingArrives_ZeroAfterTheTimeout()
    {
        var watch = Stopwatch.StartNew();
        _receiver.ReceiveBatch(new CanMessage[4], TimeSpan.FromMilliseconds(100)).Should().Be(0);
        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void SendBatch_Valid_EveryFrameDeliveredInOrder()
    {
        CanMessage[] batch = [Frame(1, 1), Frame(2, 2), Frame(3, 3)];
        _sender.SendBatch(batch).Should().Be(3);
        var destination = new CanMessage[8];
        _receiver.ReceiveBatch(destination, TimeSpan.Zero).Should().Be(3);
        destination[..3].Select(m => m.ArbitrationId).Should().Equal(1u, 2u, 3u);
        _sender.Statistics.FramesSent.Should().Be(3);
    }

    [Fact]
    public void SendBatch_OneInvalidFrame_NothingDelivered()
    {
        CanMessage[] batch = [Frame(1), new() { ArbitrationId = 0x2000_0000, IsExtendedId = true }];
        FluentActions.Invoking(() => _sender.SendBatch(batch)).Should().Throw<ArgumentException>();
        _receiver.Receive(TimeSpan.Zero).Should().BeNull();
    }

    [Fact]
    public void Statistics_CountEachOutcome()
    {
        _receiver.SetFilters([new CanFilter(0x1, 0x7FF)]);
        _sender.Send(Frame(0x1));
        _sender.Send(Frame(0x2));
        _sender.Send(Frame(0x1));
        _receiver.Receive(TimeSpan.Zero).Should().NotBeNull();
        _receiver.Receive(TimeSpan.Zero).Should().NotBeNull();
        _receiver.Receive(TimeSpan.Zero).Should().BeNull();

        _sender.Statistics.Should().Be(new CanBusStatistics(FramesSent: 3, FramesReceived: 0, FramesFilteredOut: 0, FramesDropped: 0, MalformedFrames: 0));
        _receiver.Statistics.Should().Be(new CanBusStatistics(FramesSent: 0, FramesReceived: 2, FramesFilteredOut: 1, FramesDropped: 0, MalformedFrames: 0));
    }

    [Fact]
    public async Task ReceiveAsync_Cancelled_ThenStillReceives()
    {
        using var cts = new CancellationTokenSource();
        var pending = _receiver.ReceiveAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await FluentActions.Awaiting(() => pending.WaitAsync(Long)).Should().ThrowAsync<OperationCanceledException>();

        _sender.Send(Frame(0x33));
        (await _receiver.ReceiveAsync().AsTask().WaitAsync(Long)).ArbitrationId.Should().Be(0x33);
    }

    [Fact]
    public async Task ReceiveAsync_FilteredThenMatching_ReturnsTheMatch()
    {
        _receiver.SetFilters([new CanFilter(0x2, 0x7FF)]);
        var pending = _receiver.ReceiveAsync().AsTask();
        _sender.Send(Frame(0x1));
        _sender.Send(Frame(0x2));
        (await pending.WaitAsync(Long)).ArbitrationId.Should().Be(0x2);
    }

    [Fact]
    public async Task ReadAllAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        _sender.Send(Frame(1));
        var seen = new List<uint>();
        var act = async () =>
        {
            await foreach (var message in _receiver.ReadAllAsync(cts.Token))
            {
                seen.Add(message.ArbitrationId);
                await cts.CancelAsync();
            }
        };
        await act.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().Equal(1u);
    }

    [Fact]
    public async Task ReadAllAsync_AfterDispose_EndsWithoutFrames()
    {
        _sender.Send(Frame(1));
        _receiver.Dispose();
        var frames = new List<CanMessage>();
        await foreach (var message in _receiver.ReadAllAsync())
        {
            frames.Add(message);
        }

        frames.Should().BeEmpty();
    }

    [Fact]
    public async Task DisposeAsync_WakesBlockedReceiveAsyncWithObjectDisposed()
    {
        var pending = _receiver.ReceiveAsync().AsTask();
        (await Task.WhenAny(pending, Task.Delay(50))).Should().NotBeSameAs(pending);
        await _receiver.DisposeAsync();
        await FluentActions.Awaiting(() => pending.WaitAsync(Long)).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task Dispose_WakesBlockedReceiveBatchWithObjectDisposed()
    {
        var pending = Task.Factory.StartNew(() => _receiver.ReceiveBatch(new CanMessage[4]), TaskCreationOptions.LongRunning);
        (await Task.WhenAny(pending, Task.Delay(50))).Should().NotBeSameAs(pending);
        _receiver.Dispose();
        await FluentActions.Awaiting(() => pending.WaitAsync(Long)).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task Disposed_EveryOperation_ThrowsObjectDisposed()
    {
        _receiver.Dispose();
        _receiver.IsDisposed.Should().BeTrue();
        var message = Frame(1);
        FluentActions.Invoking(() => _receiver.Send(message)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => _receiver.SendAsync(message)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => _receiver.SendBatch([message])).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => _receiver.Receive(TimeSpan.Zero)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => _receiver.Receive()).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => _receiver.TryReceive(out _)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => _receiver.ReceiveBatch(new CanMessage[1], TimeSpan.Zero)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => _receiver.SetFilters(null)).Should().Throw<ObjectDisposedException>();
        await FluentActions.Awaiting(async () => await _receiver.ReceiveAsync()).Should().ThrowAsync<ObjectDisposedException>();
        _receiver.Statistics.Should().Be(new CanBusStatistics(0, 0, 0, 0, 0), "statistics stay readable");
    }
}
