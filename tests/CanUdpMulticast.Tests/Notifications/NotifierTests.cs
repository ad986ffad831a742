using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Notifications;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Tests.Notifications;

public sealed class NotifierTests : IDisposable
{
    private readonly List<CanBus> _buses = [];

    public void Dispose()
    {
        foreach (var bus in _buses)
        {
            bus.Dispose();
        }
    }

    /// <summary>A sender and a receiver on a fresh virtual channel.</summary>
    private (VirtualBus Sender, VirtualBus Receiver) Pair(string name)
    {
        var channel = $"{name}-{Guid.NewGuid():N}";
        var sender = new VirtualBus(channel);
        var receiver = new VirtualBus(channel);
        _buses.Add(sender);
        _buses.Add(receiver);
        return (sender, receiver);
    }

    private static CanMessage Frame(uint id) => new(id, [(byte)id]);

    [Fact]
    public void Notifier_OneBus_DeliversEveryFrameInOrder()
    {
        var (tx, rx) = Pair("single");
        using var reader = new BufferedReader();
        using var notifier = new Notifier(rx, [reader]);

        for (uint id = 1; id <= 20; id++)
        {
            tx.Send(Frame(id));
        }

        var received = Enumerable.Range(0, 20).Select(_ => reader.GetMessage(TimeSpan.FromSeconds(10))).ToList();
        received.Select(m => m!.Value.ArbitrationId).Should().Equal(Enumerable.Range(1, 20).Select(i => (uint)i));
    }

    [Fact]
    public void Notifier_SeveralBuses_FramesCarryTheChannelOfTheirBus()
    {
        var (txA, rxA) = Pair("bus-a");
        var (txB, rxB) = Pair("bus-b");
        var listener = new CollectingListener();
        using var notifier = new Notifier([rxA, rxB], [listener]);

        for (uint i = 1; i <= 5; i++)
        {
            txA.Send(Frame(i));
            txB.Send(Frame(0x100 + i));
        }

        listener.WaitForMessages(10).Should().BeTrue();
        var byChannel = listener.Messages.GroupBy(m => m.Channel.Name).ToDictionary(g => g.Key!, g => g.Select(m => m.ArbitrationId).ToList());
        byChannel[rxA.Channel].Should().Equal(1u, 2u, 3u, 4u, 5u);
        byChannel[rxB.Channel].Should().Equal(0x101u, 0x102u, 0x103u, 0x104u, 0x105u);
        notifier.Buses.Should().Equal(rxA, rxB);
    }

    [Fact]
    public void ListenerThatThrows_DoesNotStopTheOtherListenersNorTheLoop()
    {
        var (tx, rx) = Pair("throwing");
        var logger = new ListLogger();
        var failure = new InvalidOperationException("listener bug");
        var collector = new CollectingListener();
        using var notifier = new Notifier(logger);
        notifier.AddListener(_ => throw failure);
        notifier.AddListener(collector);
        notifier.AddBus(rx);

        tx.Send(Frame(1));
        tx.Send(Frame(2));
        tx.Send(Frame(3));

        collector.WaitForMessages(3).Should().BeTrue();
        collector.WaitForErrors(3).Should().BeTrue();
        collector.Errors.Should().AllSatisfy(e => e.Should().BeSameAs(failure));
        notifier.LastError.Should().BeSameAs(failure);
        logger.Entries.Should().Contain(e => e.EventId.Id == 600 && e.Level == LogLevel.Error && e.Exception == failure);
    }

    [Fact]
    public void ListenerWhoseOnErrorThrows_IsLoggedAndIgnored()
    {
        var (tx, rx) = Pair("onerror");
        var logger = new ListLogger();
        var collector = new CollectingListener();
        using var notifier = new Notifier(logger);
        notifier.AddListener(_ => throw new FormatException("bad frame"));
        notifier.AddListener(new ThrowingOnErrorListener());
        notifier.AddListener(collector);
        notifier.AddBus(rx);

        tx.Send(Frame(1));
        tx.Send(Frame(2));

        collector.WaitForMessages(2).Should().BeTrue();
        collector.WaitForErrors(2).Should().BeTrue();
        logger.Entries.Should().Contain(e => e.EventId.Id == 601);
    }

    [Fact]
    public void LoggerThatThrows_DoesNotEndTheLoops()
    {
        var (tx, rx) = Pair("bad-logger");
        using var flaky = new FlakyBus(failures: 1);
        var collector = new CollectingListener();
        using var notifier = new Notifier(new ThrowingLogger());
        notifier.AddListener(_ => throw new FormatException("listener bug"));
        notifier.AddListener(collector);
        notifier.AddBus(rx);
        notifier.AddBus(flaky);

        tx.Send(Frame(1));
        collector.WaitForMessages(1).Should().BeTrue();
        flaky.Inject(Frame(2));
        tx.Send(Frame(3));

        collector.WaitForMessages(3).Should().BeTrue();
        collector.Messages.Select(m => m.ArbitrationId).Should().Contain([1u, 2u, 3u]);
    }

    [Fact]
    public async Task AsyncHandlers_AreAwaitedInOrderBeforeTheNextListenerAndFrame()
    {
        var (tx, rx) = Pair("async");
        var log = new List<string>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var notifier = new Notifier();
        notifier.AddListener(async (m, ct) =>
        {
            lock (log)
            {
                log.Add($"slow-start {m.ArbitrationId}");
            }

            if (m.ArbitrationId == 1)
            {
                firstStarted.SetResult();
                await gate.Task.WaitAsync(ct);
            }
            else
            {
                await Task.Yield();
            }

            lock (log)
            {
                log.Add($"slow-end {m.ArbitrationId}");
            }
        });
        notifier.AddListener(m =>
        {
            lock (log)
            {
                log.Add($"next {m.ArbitrationId}");
            }
        });
        notifier.AddBus(rx);

        tx.Send(Frame(1));
        tx.Send(Frame(2));
        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Wait.Until(() => rx.Statistics.FramesReceived == 2).Should().BeTrue();
        lock (log)
        {
            log.Should().Equal("slow-start 1");
        }

        gate.SetResult();

        Wait.Until(() => { lock (log) { return log.Count == 6; } }).Should().BeTrue();
        log.Should().Equal("slow-start 1", "slow-end 1", "next 1", "slow-start 2", "slow-end 2", "next 2");
    }

    [Fact]
    public void Stop_CallsStopOnListenersReleasesTheBusesAndReturnsTrue()
    {
        var (_, rx) = Pair("stop");
        var listener = new CollectingListener();
        var notifier = new Notifier(rx, [listener]);
        Notifier.FindInstance(rx).Should().BeSameAs(notifier);

        notifier.Stop().Should().BeTrue();

        listener.Stops.Should().Be(1);
        notifier.IsStopped.Should().BeTrue();
        Notifier.FindInstance(rx).Should().BeNull();
        notifier.Stop().Should().BeTrue("stopping again is harmless");
        listener.Stops.Should().Be(1);
        notifier.Invoking(n => n.AddBus(rx)).Should().Throw<InvalidOperationException>().WithMessage("*stopped*");
    }

    [Fact]
    public async Task StopAsync_DeliversTheFramesAlreadyReceivedBeforeStoppingTheListeners()
    {
        var (tx, rx) = Pair("drain");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = new CollectingListener();
        var notifier = new Notifier();
        notifier.AddListener(async (_, ct) => await gate.Task.WaitAsync(ct));
        notifier.AddListener(collector);
        notifier.AddBus(rx);
        for (uint id = 1; id <= 5; id++)
        {
            tx.Send(Frame(id));
        }

        Wait.Until(() => rx.Statistics.FramesReceived == 5).Should().BeTrue("the receive loop took all five frames");
        var stopping = notifier.StopAsync(TimeSpan.FromSeconds(10));
        gate.SetResult();

        (await stopping).Should().BeTrue();
        collector.Messages.Select(m => m.ArbitrationId).Should().Equal(1u, 2u, 3u, 4u, 5u);
        collector.Stops.Should().Be(1);
    }

    [Fact]
    public void Stop_ListenerBlocksPastTheTimeout_ReturnsFalseAndStillStopsTheListeners()
    {
        var (tx, rx) = Pair("blocked");
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var collector = new CollectingListener();
        var notifier = new Notifier(rx, [collector]);
        notifier.AddListener(_ =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        tx.Send(Frame(1));
        entered.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();

        var stopped = notifier.Stop(TimeSpan.FromMilliseconds(100));
        release.Set();

        stopped.Should().BeFalse();
        collector.Stops.Should().Be(1);
        Notifier.FindInstance(rx).Should().BeNull();
    }

    [Fact]
    public void Stop_FromInsideAListener_DoesNotDeadlock()
    {
        var (tx, rx) = Pair("self-stop");
        var notifier = new Notifier(rx, []);
        bool? result = null;
        notifier.AddListener(_ => result = notifier.Stop(TimeSpan.FromSeconds(5)));

        tx.Send(Frame(1));

        Wait.Until(() => result is not null).Should().BeTrue();
        notifier.IsStopped.Should().BeTrue();
    }

    [Fact]
    public void SecondNotifierOnTheSameBus_IsRejectedUntilTheFirstStops()
    {
        var (_, rx) = Pair("exclusive");
        var first = new Notifier(rx, []);

        var second = () => new Notifier(rx, []);

        second.Should().Throw<InvalidOperationException>().WithMessage("*already belongs to another active notifier*");
        first.Invoking(n => n.AddBus(rx)).Should().Throw<InvalidOperationException>().WithMessage("*already belongs to this notifier*");
        first.Stop().Should().BeTrue();
        using var third = new Notifier(rx, []);
        Notifier.FindInstance(rx).Should().BeSameAs(third);
    }

    [Fact]
    public void Constructor_OneBusTaken_StartsNothing()
    {
        var (_, free) = Pair("free");
        var (_, taken) = Pair("taken");
        using var owner = new Notifier(taken, []);

        var act = () => new Notifier([free, taken]);

        act.Should().Throw<InvalidOperationException>();
        Notifier.FindInstance(free).Should().BeNull();
        Notifier.FindInstance(taken).Should().BeSameAs(owner);
    }

    [Fact]
    public void AddBusAndRemoveBus_AtRunTime_ChangeWhichBusesAreRead()
    {
        var (txA, rxA) = Pair("runtime-a");
        var (txB, rxB) = Pair("runtime-b");
        var collector = new CollectingListener();
        using var notifier = new Notifier(rxA, [collector]);
        txA.Send(Frame(1));
        collector.WaitForMessages(1).Should().BeTrue();

        notifier.AddBus(rxB);
        txB.Send(Frame(2));
        collector.WaitForMessages(2).Should().BeTrue();

        notifier.RemoveBus(rxA).Should().BeTrue();
        notifier.RemoveBus(rxA).Should().BeFalse();
        txA.Send(Frame(3));
        txB.Send(Frame(4));
        collector.WaitForMessages(3).Should().BeTrue();

        collector.Messages.Select(m => m.ArbitrationId).Should().Equal(1u, 2u, 4u);
        rxA.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(3, "nobody reads the removed bus any more");
        Notifier.FindInstance(rxA).Should().BeNull();
        notifier.Buses.Should().Equal(rxB);
    }

    [Fact]
    public void AddListenerAndRemoveListener_AtRunTime_ChangeWhoGetsTheFrames()
    {
        var (tx, rx) = Pair("listeners");
        var first = new CollectingListener();
        var second = new CollectingListener();
        var seen = new List<uint>();
        Action<CanMessage> third = m => { lock (seen) { seen.Add(m.ArbitrationId); } };
        using var notifier = new Notifier(rx, [first]);
        tx.Send(Frame(1));
        first.WaitForMessages(1).Should().BeTrue();

        notifier.AddListener(second);
        notifier.AddListener(third);
        tx.Send(Frame(2));
        Wait.Until(() => { lock (seen) { return seen.Count == 1; } }).Should().BeTrue();

        notifier.RemoveListener(first).Should().BeTrue();
        notifier.RemoveListener(third).Should().BeTrue();
        notifier.RemoveListener(third).Should().BeFalse();
        notifier.Listeners.Should().Equal(second);
        tx.Send(Frame(3));
        second.WaitForMessages(2).Should().BeTrue();

        first.Messages.Select(m => m.ArbitrationId).Should().Equal(1u, 2u);
        second.Messages.Select(m => m.ArbitrationId).Should().Equal(2u, 3u);
        seen.Should().Equal(2u);
    }

    [Fact]
    public void DisposedBus_LeavesTheNotifierCleanlyAndTheOthersGoOn()
    {
        var (_, rxA) = Pair("closing-a");
        var (txB, rxB) = Pair("closing-b");
        var collector = new CollectingListener();
        using var notifier = new Notifier([rxA, rxB], [collector]);

        rxA.Dispose();
        Wait.Until(() => notifier.Buses.Count == 1).Should().BeTrue();
        txB.Send(Frame(7));

        collector.WaitForMessages(1).Should().BeTrue();
        collector.Errors.Should().BeEmpty();
        notifier.LastError.Should().BeNull();
        Notifier.FindInstance(rxA).Should().BeNull();
        notifier.Stop().Should().BeTrue();
    }

    [Fact]
    public void BusThatFailsToReceive_IsReportedToTheListenersAndRetried()
    {
        var logger = new ListLogger();
        using var bus = new FlakyBus(failures: 2);
        var collector = new CollectingListener();
        using var notifier = new Notifier(logger);
        notifier.AddListener(collector);
        notifier.AddBus(bus);

        collector.WaitForErrors(2).Should().BeTrue();
        bus.Inject(Frame(9));

        collector.WaitForMessages(1).Should().BeTrue();
        collector.Errors.Should().AllBeOfType<CanOperationException>();
        notifier.LastError.Should().BeOfType<CanOperationException>();
        logger.Entries.Count(e => e.EventId.Id == 603).Should().Be(2);
    }

    [Fact]
    public async Task DisposeAsync_StopsTheNotifier()
    {
        var (_, rx) = Pair("dispose");
        var listener = new CollectingListener();
        var notifier = new Notifier(rx, [listener]);

        await notifier.DisposeAsync();

        notifier.IsStopped.Should().BeTrue();
        listener.Stops.Should().Be(1);
        Notifier.FindInstance(rx).Should().BeNull();
    }

    [Fact]
    public void AddBus_DisposedBus_Throws()
    {
        var (_, rx) = Pair("disposed");
        rx.Dispose();
        using var notifier = new Notifier();

        notifier.Invoking(n => n.AddBus(rx)).Should().Throw<ObjectDisposedException>();
    }

    private sealed class ThrowingLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new InvalidOperationException("logger bug");
    }

    private sealed class ThrowingOnErrorListener : ICanListener
    {
        public void OnMessageReceived(in CanMessage message)
        {
        }

        public void OnError(Exception exception) => throw new InvalidOperationException("OnError bug");
    }
}
