using System.Collections.Concurrent;
using FluentAssertions;
using Xunit;

namespace CanUdpMulticast.Testing;

/// <summary>
/// The behaviour every backend must show between two (or more) buses on one channel, after python-can's
/// <c>back2back_test.py</c> and stricter. A backend's test class derives from this and says how to open buses.
/// </summary>
public abstract class BackToBackTests : IDisposable
{
    /// <summary>How long a test waits for a frame that must arrive.</summary>
    protected static readonly TimeSpan Arrival = TimeSpan.FromSeconds(5);

    private readonly List<CanBus> _buses = [];

    /// <summary>Opens another bus on this test's channel; every bus of one test instance must see the others' frames. It may call <c>Skip.If</c> when the backend cannot run here (every test is a SkippableFact).</summary>
    /// <param name="receiveOwnMessages">Whether the bus receives its own frames.</param>
    /// <returns>The bus (disposed by the suite).</returns>
    protected abstract CanBus OpenBus(bool receiveOwnMessages = false);

    /// <summary>How many receiving buses the concurrency test opens (each one a socket for a network backend).</summary>
    protected virtual int ConcurrentReceiverCount => 100;

    /// <summary>
    /// Returns once <paramref name="count"/> frames sent to <paramref name="receiver"/> are queued for it, so that a
    /// zero-timeout receive must find them. Backends that queue on send (virtual) need not wait.
    /// </summary>
    /// <param name="receiver">The receiving bus.</param>
    /// <param name="count">How many frames were sent.</param>
    protected virtual void AwaitQueued(CanBus receiver, int count)
    {
    }

    /// <summary>Whether the backend carries CAN FD frames.</summary>
    protected virtual bool SupportsFd => true;

    /// <summary>Opens a bus and remembers it for disposal.</summary>
    /// <param name="receiveOwnMessages">Whether the bus receives its own frames.</param>
    /// <returns>The bus.</returns>
    protected CanBus Open(bool receiveOwnMessages = false)
    {
        var bus = OpenBus(receiveOwnMessages);
        _buses.Add(bus);
        return bus;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var bus in _buses)
        {
            bus.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Sends on one bus, receives on the other, and checks every field but the timestamp and direction.</summary>
    /// <param name="message">The frame.</param>
    protected void AssertRoundTrip(CanMessage message)
    {
        var sender = Open();
        var receiver = Open();
        sender.Send(message);
        var received = receiver.Receive(Arrival);
        received.Should().NotBeNull("the frame was sent on the same channel");
        received!.Value.IsEquivalentTo(message, timestampDelta: null, checkChannel: false, checkDirection: false)
            .Should().BeTrue($"received {received.Value} should equal sent {message}");
        received.Value.IsRx.Should().BeTrue();
    }

    [SkippableFact]
    public void Receive_NoMessage_ReturnsNullWithinTimeout()
    {
        var bus = Open();
        var started = DateTime.UtcNow;
        bus.Receive(TimeSpan.FromMilliseconds(100)).Should().BeNull();
        (DateTime.UtcNow - started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(90)).And.BeLessThan(TimeSpan.FromSeconds(3));
    }

    [SkippableFact]
    public void TryReceive_NothingQueued_ReturnsFalseAtOnce()
    {
        var bus = Open();
        bus.TryReceive(out _).Should().BeFalse();
    }

    [SkippableFact]
    public void Dispose_Twice_IsHarmless()
    {
        var bus = OpenBus();
        bus.Dispose();
        bus.Invoking(b => b.Dispose()).Should().NotThrow();
        bus.IsDisposed.Should().BeTrue();
    }

    [SkippableFact]
    public async Task DisposeAsync_ThenOperations_ThrowObjectDisposed()
    {
        var bus = OpenBus();
        await bus.DisposeAsync();
        await bus.DisposeAsync();
        bus.Invoking(b => b.Send(new CanMessage(1, [1]))).Should().Throw<ObjectDisposedException>();
        bus.Invoking(b => b.Receive(TimeSpan.Zero)).Should().Throw<ObjectDisposedException>();
        await bus.Awaiting(b => b.ReceiveAsync().AsTask()).Should().ThrowAsync<ObjectDisposedException>();
    }

    [SkippableFact]
    public void Send_StandardFrame_Arrives() => AssertRoundTrip(new CanMessage(0x123, [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]));

    [SkippableFact]
    public void Send_ExtendedFrame_Arrives() => AssertRoundTrip(new CanMessage(0x1234567, [1, 2, 3, 4, 5, 6, 7, 8], isExtendedId: true));

    [SkippableFact]
    public void Send_RemoteFrameWithDlc4_ArrivesWithoutData() =>
        AssertRoundTrip(new CanMessage { ArbitrationId = 0x7FF, IsRemoteFrame = true, Dlc = 4 });

    [SkippableFact]
    public void Send_ShortFrame_KeepsItsLength() => AssertRoundTrip(new CanMessage(0x42, [0xAB, 0xCD, 0xEF]));

    [SkippableFact]
    public void Send_EmptyFrame_Arrives() => AssertRoundTrip(new CanMessage(0x0, []));

    [SkippableFact]
    public void Send_Fd64Bytes_Arrives()
    {
        Skip.IfNot(SupportsFd, "backend without CAN FD");
        var data = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        AssertRoundTrip(new CanMessage(0x1ABCDEF, data, isExtendedId: true) { IsFd = true });
    }

    [SkippableFact]
    public void Send_FdWithBitrateSwitch_Arrives()
    {
        Skip.IfNot(SupportsFd, "backend without CAN FD");
        AssertRoundTrip(new CanMessage(0x123, new byte[12]) { IsFd = true, BitrateSwitch = true, ErrorStateIndicator = true });
    }

    [SkippableFact]
    public void Receive_Timestamp_IsAbsoluteWithSubSecondResolution()
    {
        var sender = Open();
        var receiver = Open();
        var fractions = new HashSet<long>();
        for (var i = 0; i < 5; i++)
        {
            var before = CanClock.Now();
            sender.Send(new CanMessage((uint)i, [1]));
            var received = receiver.Receive(Arrival);
            var after = CanClock.Now();
            received.Should().NotBeNull();
            received!.Value.Timestamp.Should().BeInRange(before - 1.0, after + 0.001, "the timestamp is the absolute receive time in seconds since the Unix epoch");
            fractions.Add((long)(received.Value.Timestamp % 1.0 * 1e6));
        }

        fractions.Should().HaveCountGreaterThan(1, "timestamps must resolve below one second");
    }

    [SkippableFact]
    public void Receive_WithFilters_ReturnsExactlyTheMatchingFrames()
    {
        var sender = Open();
        var receiver = Open();
        receiver.SetFilters([new CanFilter(0x100, 0x700)]);
        var frames = Enumerable.Range(0, 500).Select(i => new CanMessage((uint)(0x100 + (i % 0x100)), BitConverter.GetBytes(i)))
            .Concat(Enumerable.Range(0, 500).Select(i => new CanMessage((uint)(0x200 + (i % 0x100)), BitConverter.GetBytes(i))))
            .OrderBy(_ => Random.Shared.Next())
            .ToList();
        foreach (var frame in frames)
        {
            sender.Send(frame);
        }

        var received = new List<CanMessage>();
        while (receiver.Receive(TimeSpan.FromMilliseconds(500)) is { } message)
        {
            received.Add(message);
        }

        received.Should().HaveCount(500);
        received.Should().OnlyContain(m => (m.ArbitrationId & 0x700) == 0x100);
        received.Select(m => BitConverter.ToInt32(m.Data)).Should().BeEquivalentTo(Enumerable.Range(0, 500));
    }

    [SkippableFact]
    public void Receive_ZeroTimeout_SkipsFilteredFramesToAQueuedMatch()
    {
        var sender = Open();
        var receiver = Open();
        receiver.SetFilters([new CanFilter(0x7FF, 0x7FF)]);
        for (var i = 0; i < 5; i++)
        {
            sender.Send(new CanMessage(0x100, [1]));
        }

        sender.Send(new CanMessage(0x7FF, [2]));
        AwaitQueued(receiver, 6);

        var match = receiver.Receive(TimeSpan.Zero);

        match.Should().NotBeNull("a matching frame was queued behind the filtered ones (python-can returns None here)");
        match!.Value.ArbitrationId.Should().Be(0x7FF);
        receiver.Statistics.FramesFilteredOut.Should().Be(5);
    }

    [SkippableFact]
    public async Task ReceiveAsync_FrameSentLater_Completes()
    {
        var sender = Open();
        var receiver = Open();
        var pending = receiver.ReceiveAsync().AsTask();
        pending.IsCompleted.Should().BeFalse();
        sender.Send(new CanMessage(0x321, [9, 8, 7]));
        var received = await pending.WaitAsync(Arrival);
        received.ArbitrationId.Should().Be(0x321);
        received.Data.ToArray().Should().Equal(9, 8, 7);
    }

    [SkippableFact]
    public async Task ReceiveAsync_Cancelled_ThrowsOperationCanceled()
    {
        var receiver = Open();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await receiver.Awaiting(r => r.ReceiveAsync(cts.Token).AsTask()).Should().ThrowAsync<OperationCanceledException>();
    }

    [SkippableFact]
    public async Task ReadAllAsync_YieldsFramesInOrderAndEndsOnDispose()
    {
        var sender = Open();
        var receiver = OpenBus();
        var reader = Task.Run(async () =>
        {
            var ids = new List<uint>();
            await foreach (var message in receiver.ReadAllAsync())
            {
                ids.Add(message.ArbitrationId);
                if (ids.Count == 10)
                {
                    await receiver.DisposeAsync();
                }
            }

            return ids;
        });
        for (uint i = 0; i < 10; i++)
        {
            sender.Send(new CanMessage(i, [(byte)i]));
        }

        var ids = await reader.WaitAsync(Arrival);
        ids.Should().Equal(Enumerable.Range(0, 10).Select(i => (uint)i));
    }

    [SkippableFact]
    public void Dispose_WakesBlockedReceive()
    {
        var receiver = OpenBus();
        var blocked = Task.Run(() => receiver.Receive());
        WaitUntil(() => blocked.Status == TaskStatus.Running);
        Thread.Sleep(50); // let it enter the wait; the assertion below does not depend on it
        receiver.Dispose();
        blocked.Invoking(t => t.Wait(Arrival)).Should().Throw<AggregateException>().WithInnerException<ObjectDisposedException>();
    }

    [SkippableFact]
    public async Task Dispose_WakesBlockedReceiveAsync()
    {
        var receiver = OpenBus();
        var pending = receiver.ReceiveAsync().AsTask();
        receiver.Dispose();
        await pending.Awaiting(p => p.WaitAsync(Arrival)).Should().ThrowAsync<ObjectDisposedException>();
    }

    [SkippableFact]
    public void ReceiveOwnMessages_On_DeliversOwnFrameAsTx()
    {
        var bus = Open(receiveOwnMessages: true);
        bus.Send(new CanMessage(0x55, [5]));
        var echo = bus.Receive(Arrival);
        echo.Should().NotBeNull();
        echo!.Value.IsRx.Should().BeFalse();
        echo.Value.ArbitrationId.Should().Be(0x55);
    }

    [SkippableFact]
    public void ReceiveOwnMessages_Off_NeverDeliversOwnFrame()
    {
        var bus = Open();
        var other = Open();
        bus.Send(new CanMessage(0x56, [6]));
        other.Receive(Arrival).Should().NotBeNull("the other bus proves the frame went out");
        bus.Receive(TimeSpan.FromMilliseconds(200)).Should().BeNull();
    }

    [SkippableFact]
    public void ReceiveBatch_TakesQueuedFrames()
    {
        var sender = Open();
        var receiver = Open();
        for (uint i = 0; i < 20; i++)
        {
            sender.Send(new CanMessage(i, [(byte)i]));
        }

        var buffer = new CanMessage[8];
        var got = new List<uint>();
        while (got.Count < 20)
        {
            var n = receiver.ReceiveBatch(buffer, Arrival);
            n.Should().BeGreaterThan(0);
            got.AddRange(buffer.Take(n).Select(m => m.ArbitrationId));
        }

        got.Should().Equal(Enumerable.Range(0, 20).Select(i => (uint)i));
    }

    [SkippableFact]
    public void SendBatch_InvalidFrame_SendsNothing()
    {
        var sender = Open();
        var receiver = Open();
        CanMessage[] batch = [new CanMessage(1, [1]), new CanMessage(0x800, [2])];
        sender.Invoking(s => s.SendBatch(batch)).Should().Throw<ArgumentException>();
        receiver.Receive(TimeSpan.FromMilliseconds(200)).Should().BeNull();
    }

    [SkippableFact]
    public void Statistics_CountSentReceivedAndFiltered()
    {
        var sender = Open();
        var receiver = Open();
        receiver.SetFilters([new CanFilter(0x1, 0x7FF)]);
        sender.Send(new CanMessage(0x2, [2]));
        sender.Send(new CanMessage(0x1, [1]));
        receiver.Receive(Arrival).Should().NotBeNull();
        sender.Statistics.FramesSent.Should().Be(2);
        receiver.Statistics.FramesReceived.Should().Be(1);
        receiver.Statistics.FramesFilteredOut.Should().Be(1);
    }

    [SkippableFact]
    public void Concurrency_ManySendersAndReceivers_EveryFrameIntactOncePerReceiver()
    {
        const int Frames = 1000;
        const int SenderThreads = 100;
        var sender = Open();
        var receivers = Enumerable.Range(0, ConcurrentReceiverCount).Select(_ => Open()).ToList();
        var results = new ConcurrentBag<(int Receiver, List<int> Indices, int Corrupt)>();

        var receiving = receivers.Select((bus, r) => new Thread(() =>
        {
            var indices = new List<int>(Frames);
            var corrupt = 0;
            while (indices.Count < Frames && bus.Receive(Arrival) is { } m)
            {
                var index = BitConverter.ToInt32(m.Data[..4]);
                if (m.ArbitrationId != (uint)(index % 0x800) || BitConverter.ToInt32(m.Data[4..]) != ~index)
                {
                    corrupt++;
                }

                indices.Add(index);
            }

            results.Add((r, indices, corrupt));
        })).ToList();
        receiving.ForEach(t => t.Start());

        var sending = Enumerable.Range(0, SenderThreads).Select(s => new Thread(() =>
        {
            for (var index = s; index < Frames; index += SenderThreads)
            {
                var data = new byte[8];
                BitConverter.TryWriteBytes(data.AsSpan(0, 4), index);
                BitConverter.TryWriteBytes(data.AsSpan(4, 4), ~index);
                sender.Send(new CanMessage((uint)(index % 0x800), data));
            }
        })).ToList();
        sending.ForEach(t => t.Start());
        sending.ForEach(t => t.Join());
        receiving.ForEach(t => t.Join());

        results.Should().HaveCount(receivers.Count);
        foreach (var (receiver, indices, corrupt) in results)
        {
            corrupt.Should().Be(0, $"receiver {receiver} must get intact frames");
            indices.Should().OnlyHaveUniqueItems($"receiver {receiver} must get each frame once");
            indices.Should().HaveCount(Frames, $"receiver {receiver} must get every frame");
        }
    }

    [SkippableFact]
    public void Concurrency_ManyThreadsReceivingOnOneBus_EachFrameDeliveredOnce()
    {
        const int Frames = 1000;
        var sender = Open();
        var receiver = Open();
        var seen = new ConcurrentBag<int>();
        var threads = Enumerable.Range(0, 16).Select(_ => new Thread(() =>
        {
            while (receiver.Receive(TimeSpan.FromSeconds(1)) is { } m)
            {
                seen.Add(BitConverter.ToInt32(m.Data));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        for (var i = 0; i < Frames; i++)
        {
            sender.Send(new CanMessage(0x10, BitConverter.GetBytes(i)));
        }

        threads.ForEach(t => t.Join());
        seen.Should().OnlyHaveUniqueItems();
        seen.Should().HaveCount(Frames);
    }

    /// <summary>Waits for a condition with a timeout instead of sleeping for ordering.</summary>
    /// <param name="condition">The condition.</param>
    protected static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Arrival;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not become true in time.");
            }

            Thread.Sleep(1);
        }
    }

}
