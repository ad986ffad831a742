namespace CanUdpMulticast.Tests.Core;

/// <summary>How the <see cref="CanBus"/> base class drives a backend's core (through a recording backend).</summary>
public sealed class CanBusBackendContractTests : IDisposable
{
    private readonly ScriptedBus _bus = new();

    public void Dispose() => _bus.Dispose();

    [Fact]
    public void Defaults_ActiveCan20Unknown()
    {
        _bus.State.Should().Be(CanBusState.Active);
        _bus.Protocol.Should().Be(CanProtocol.Can20);
        _bus.ChannelInfo.Should().Be("unknown");
        _bus.ToString().Should().Be("unknown");
        _bus.Filters.Should().BeEmpty();
        _bus.Statistics.Should().Be(new CanBusStatistics(0, 0, 0, 0, 0));
    }

    [Fact]
    public void Send_NullTimeout_BackendGetsInfinite()
    {
        _bus.Send(new CanMessage { ArbitrationId = 1 });
        _bus.SendTimeouts.Should().Equal(Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public void Send_Timeout_PassedThrough()
    {
        _bus.Send(new CanMessage { ArbitrationId = 1 }, TimeSpan.FromMilliseconds(50));
        _bus.Send(new CanMessage { ArbitrationId = 2 }, TimeSpan.Zero);
        _bus.Send(new CanMessage { ArbitrationId = 3 }, Timeout.InfiniteTimeSpan);
        _bus.SendTimeouts.Should().Equal(TimeSpan.FromMilliseconds(50), TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public void Send_NegativeTimeout_ThrowsAndSendsNothing()
    {
        FluentActions.Invoking(() => _bus.Send(default, TimeSpan.FromMilliseconds(-2)))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("timeout");
        _bus.Sent.Should().BeEmpty();
    }

    [Fact]
    public void Send_InvalidFrame_ArgumentExceptionBeforeTheBackend()
    {
        FluentActions.Invoking(() => _bus.Send(new CanMessage { ArbitrationId = 0x800 })).Should().Throw<ArgumentException>();
        _bus.Sent.Should().BeEmpty();
        _bus.Statistics.FramesSent.Should().Be(0);
    }

    [Fact]
    public void SendAsync_InvalidFrame_ThrowsSynchronously() =>
        // Validation happens before a task exists, so a bad frame fails the call itself.
        FluentActions.Invoking(() => _bus.SendAsync(new CanMessage { BitrateSwitch = true })).Should().Throw<ArgumentException>();

    [Fact]
    public async Task SendAsync_CompletedByBackendLater_CountedOnlyWhenDone()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _bus.AsyncSendGate = gate.Task;
        var pending = _bus.SendAsync(new CanMessage { ArbitrationId = 7 });
        pending.IsCompleted.Should().BeFalse();
        _bus.Statistics.FramesSent.Should().Be(0);

        gate.SetResult();
        await pending;
        _bus.Statistics.FramesSent.Should().Be(1);
        _bus.Sent.Single().ArbitrationId.Should().Be(7);
    }

    [Fact]
    public async Task SendAsync_BackendFails_ExceptionSurfacesAndNotCounted()
    {
        _bus.AsyncSendGate = Task.FromException(new CanOperationException("cable unplugged"));
        await FluentActions.Awaiting(async () => await _bus.SendAsync(new CanMessage { ArbitrationId = 7 }))
            .Should().ThrowAsync<CanOperationException>().WithMessage("cable unplugged");
        _bus.Statistics.FramesSent.Should().Be(0);
    }

    [Fact]
    public void SendBatch_Empty_ZeroWithoutCallingTheBackend()
    {
        _bus.SendBatch([]).Should().Be(0);
        _bus.SendTimeouts.Should().BeEmpty();
    }

    [Fact]
    public void SendBatch_InvalidFrameInTheMiddle_NothingSent()
    {
        CanMessage[] batch = [new() { ArbitrationId = 1 }, new() { ArbitrationId = 1, Data = new byte[9] }, new() { ArbitrationId = 3 }];
        FluentActions.Invoking(() => _bus.SendBatch(batch)).Should().Throw<ArgumentException>();
        _bus.Sent.Should().BeEmpty();
        _bus.Statistics.FramesSent.Should().Be(0);
    }

    [Fact]
    public void SendBatch_Valid_AllSentInOrderWithTheTimeout()
    {
        CanMessage[] batch = [new() { ArbitrationId = 1 }, new() { ArbitrationId = 2 }, new() { ArbitrationId = 3 }];
        _bus.SendBatch(batch, TimeSpan.FromSeconds(1)).Should().Be(3);
        _bus.Sent.Select(m => m.ArbitrationId).Should().Equal(1u, 2u, 3u);
        _bus.SendTimeouts.Should().OnlyContain(t => t == TimeSpan.FromSeconds(1));
        _bus.Statistics.FramesSent.Should().Be(3);
    }

    [Fact]
    public void SetFilters_HandsTheFiltersToTheBackendHook()
    {
        _bus.SetFilters([new CanFilter(0x100, 0x700)]);
        _bus.SetFilters(null);
        _bus.AppliedFilters.Should().HaveCount(2);
        _bus.AppliedFilters[0].Should().Equal(new CanFilter(0x100, 0x700));
        _bus.AppliedFilters[1].Should().BeEmpty();
        _bus.Filters.Should().BeEmpty();
    }

    [Fact]
    public void Receive_BackendFilters_BaseClassDoesNotFilterAgain()
    {
        _bus.FiltersInBackend = true;
        _bus.SetFilters([new CanFilter(0x100, 0x7FF)]);
        _bus.Deliver(new CanMessage { ArbitrationId = 0x200 });
        _bus.Receive(TimeSpan.Zero).Should().NotBeNull("the backend promised to deliver only matching frames");
        _bus.Statistics.FramesFilteredOut.Should().Be(0);
    }

    [Fact]
    public void Receive_BackendDoesNotFilter_BaseClassFilters()
    {
        _bus.FiltersInBackend = false;
        _bus.SetFilters([new CanFilter(0x100, 0x7FF)]);
        _bus.Deliver(new CanMessage { ArbitrationId = 0x200 });
        _bus.Receive(TimeSpan.Zero).Should().BeNull();
        _bus.Statistics.FramesFilteredOut.Should().Be(1);
    }

    [Fact]
    public void ReceiveBatch_UsesTheBackendsBatchRead()
    {
        _bus.Deliver(new CanMessage { ArbitrationId = 1 }, new CanMessage { ArbitrationId = 2 }, new CanMessage { ArbitrationId = 3 });
        var destination = new CanMessage[8];
        _bus.ReceiveBatch(destination, TimeSpan.Zero).Should().Be(3);
        _bus.ReadFramesCalls.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Dispose_ThenDisposeAsync_BackendDisposedOnce()
    {
        _bus.Dispose();
        _bus.Dispose();
        await _bus.DisposeAsync();
        _bus.DisposeCalls.Should().Be(1);
        _bus.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public async Task DisposeAsync_ThenDispose_BackendDisposedOnce()
    {
        await _bus.DisposeAsync();
        await _bus.DisposeAsync();
        _bus.Dispose();
        _bus.DisposeCalls.Should().Be(1);
    }

    [Fact]
    public void Dispose_FromManyThreadsAtOnce_BackendDisposedOnce()
    {
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            _bus.Dispose();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        _bus.DisposeCalls.Should().Be(1);
    }
}
