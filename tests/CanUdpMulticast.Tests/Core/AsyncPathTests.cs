namespace CanUdpMulticast.Tests.Core;

/// <summary>
/// The asynchronous paths of <see cref="CanBus"/> (<see cref="CanBus.ReceiveAsync"/>, <see cref="CanBus.ReadAllAsync"/>,
/// <see cref="CanBus.SendAsync"/>) when the backend's operation completes later: the hand-written state machines'
/// suspended paths, each with a frame, a rejected frame, closing, an exception and cancellation.
/// </summary>
public sealed class AsyncPathTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);
    private readonly ControlledBus _bus = new();

    public void Dispose() => _bus.Dispose();

    private static CanMessage Frame(uint id) => new() { ArbitrationId = id, Data = [1] };

    [Fact]
    public async Task ReceiveAsync_FrameArrivesLater_ReturnsItAndCountsIt()
    {
        var pending = _bus.ReceiveAsync().AsTask();
        pending.IsCompleted.Should().BeFalse();

        _bus.NextReceive().SetResult(Frame(0x10));

        (await pending.WaitAsync(Long)).ArbitrationId.Should().Be(0x10);
        _bus.Statistics.FramesReceived.Should().Be(1);
    }

    [Fact]
    public async Task ReceiveAsync_FiltersRejectWhatArrivesLater_WaitsAgainAndReturnsTheMatch()
    {
        _bus.SetFilters([new CanFilter(0x20, 0x7FF)]);
        var pending = _bus.ReceiveAsync().AsTask();

        _bus.NextReceive().SetResult(Frame(0x11));
        _bus.NextReceive().SetResult(Frame(0x20));

        (await pending.WaitAsync(Long)).ArbitrationId.Should().Be(0x20);
        _bus.Statistics.FramesFilteredOut.Should().Be(1);
    }

    [Fact]
    public async Task ReceiveAsync_BackendFailsLater_SurfacesTheSameException()
    {
        var pending = _bus.ReceiveAsync().AsTask();
        var failure = new CanOperationException("socket failed");

        _bus.NextReceive().SetException(failure);

        (await FluentActions.Awaiting(() => pending.WaitAsync(Long)).Should().ThrowAsync<CanOperationException>()).Which.Should().BeSameAs(failure);
    }

    [Fact]
    public async Task ReceiveAsync_BackendClosesWhileWaiting_ThrowsObjectDisposed()
    {
        var pending = _bus.ReceiveAsync().AsTask();

        _bus.NextReceive().SetResult(null);

        await FluentActions.Awaiting(() => pending.WaitAsync(Long)).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task ReceiveAsync_CancelledWhileWaiting_ThrowsOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        var pending = _bus.ReceiveAsync(cancel.Token).AsTask();
        _bus.NextReceive();

        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => pending.WaitAsync(Long)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task ReadAllAsync_ReadyFramesThenOnesArrivingLater_YieldsThemInOrderSkippingRejectedOnes()
    {
        _bus.SetFilters([new CanFilter(0x30, 0x7F0)]);
        _bus.Ready.Enqueue(Frame(0x31));
        _bus.Ready.Enqueue(Frame(0x01));
        await using var frames = _bus.ReadAllAsync().GetAsyncEnumerator();

        (await frames.MoveNextAsync().AsTask().WaitAsync(Long)).Should().BeTrue("a frame already there comes without a wait");
        frames.Current.ArbitrationId.Should().Be(0x31);

        var next = frames.MoveNextAsync().AsTask();
        next.IsCompleted.Should().BeFalse("the rejected ready frame is skipped, then it waits");
        _bus.NextReceive().SetResult(Frame(0x02));
        _bus.NextReceive().SetResult(Frame(0x32));

        (await next.WaitAsync(Long)).Should().BeTrue();
        frames.Current.ArbitrationId.Should().Be(0x32);
        _bus.Statistics.FramesFilteredOut.Should().Be(2);
    }

    [Fact]
    public async Task ReadAllAsync_BusDisposedWhileWaiting_Ends()
    {
        await using var frames = _bus.ReadAllAsync().GetAsyncEnumerator();
        var next = frames.MoveNextAsync().AsTask();
        var wait = _bus.NextReceive();

        _bus.Dispose();
        wait.SetException(new ObjectDisposedException("bus"));

        (await next.WaitAsync(Long)).Should().BeFalse();
        (await frames.MoveNextAsync().AsTask().WaitAsync(Long)).Should().BeFalse();
    }

    [Fact]
    public async Task ReadAllAsync_BackendReportsClosedWhileWaiting_Ends()
    {
        await using var frames = _bus.ReadAllAsync().GetAsyncEnumerator();
        var next = frames.MoveNextAsync().AsTask();

        _bus.NextReceive().SetResult(null);

        (await next.WaitAsync(Long)).Should().BeFalse();
    }

    [Fact]
    public async Task ReadAllAsync_BackendFailsWhileWaiting_SurfacesTheExceptionThenEnds()
    {
        await using var frames = _bus.ReadAllAsync().GetAsyncEnumerator();
        var next = frames.MoveNextAsync().AsTask();

        _bus.NextReceive().SetException(new CanOperationException("socket failed"));

        await FluentActions.Awaiting(() => next.WaitAsync(Long)).Should().ThrowAsync<CanOperationException>();
        (await frames.MoveNextAsync().AsTask().WaitAsync(Long)).Should().BeFalse("an enumeration that threw is over");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAllAsync_EitherTokenCancelledWhileWaiting_ThrowsOperationCanceled(bool methodToken)
    {
        using var method = new CancellationTokenSource();
        using var enumerator = new CancellationTokenSource();
        await using var frames = _bus.ReadAllAsync(method.Token).GetAsyncEnumerator(enumerator.Token);
        var next = frames.MoveNextAsync().AsTask();
        _bus.NextReceive();

        await (methodToken ? method : enumerator).CancelAsync();

        await FluentActions.Awaiting(() => next.WaitAsync(Long)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task ReadAllAsync_OnlyOneTokenGiven_TheBackendWaitsWithThatToken()
    {
        using var method = new CancellationTokenSource();
        await using var frames = _bus.ReadAllAsync(method.Token).GetAsyncEnumerator();
        var next = frames.MoveNextAsync().AsTask();

        _bus.NextReceive().SetResult(Frame(1));

        (await next.WaitAsync(Long)).Should().BeTrue();
        _bus.LastReceiveToken.Should().Be(method.Token, "no linked source when only one token can cancel");
    }

    [Fact]
    public async Task ReadAllAsync_EnumeratorDisposed_MoveNextEnds()
    {
        _bus.Ready.Enqueue(Frame(1));
        var frames = _bus.ReadAllAsync().GetAsyncEnumerator();

        await frames.DisposeAsync();

        (await frames.MoveNextAsync().AsTask().WaitAsync(Long)).Should().BeFalse();
    }

    [Fact]
    public async Task ReadAllAsync_TwoEnumerations_EachGetsItsOwnFrames()
    {
        var frames = _bus.ReadAllAsync();
        await using var first = frames.GetAsyncEnumerator();
        await using var second = frames.GetAsyncEnumerator();
        _bus.Ready.Enqueue(Frame(1));
        _bus.Ready.Enqueue(Frame(2));

        (await first.MoveNextAsync().AsTask().WaitAsync(Long)).Should().BeTrue();
        (await second.MoveNextAsync().AsTask().WaitAsync(Long)).Should().BeTrue();

        new[] { first.Current.ArbitrationId, second.Current.ArbitrationId }.Should().Equal(1u, 2u);
    }

    [Fact]
    public async Task SendAsync_BackendCompletesLater_CountsTheFrameOnlyThen()
    {
        var pending = _bus.SendAsync(Frame(0x40)).AsTask();
        var send = _bus.NextSend();
        pending.IsCompleted.Should().BeFalse();
        _bus.Statistics.FramesSent.Should().Be(0);

        send.SetResult();

        await pending.WaitAsync(Long);
        _bus.Statistics.FramesSent.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_BackendFailsLater_SurfacesTheExceptionAndCountsNothing()
    {
        var pending = _bus.SendAsync(Frame(0x40)).AsTask();

        _bus.NextSend().SetException(new CanOperationException("socket failed"));

        await FluentActions.Awaiting(() => pending.WaitAsync(Long)).Should().ThrowAsync<CanOperationException>();
        _bus.Statistics.FramesSent.Should().Be(0);
    }
}
