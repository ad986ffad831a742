using CanUdpMulticast.Diagnostics;
using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Periodic;
using CanUdpMulticast.Tests.Core;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CanUdpMulticast.Tests.Diagnostics;

/// <summary>
/// The library's meter (docs/metrics.md), observed with <see cref="MetricCollector{T}"/>. The meter is process-wide, so
/// each test uses a channel of its own and reads only the series tagged with it.
/// </summary>
public sealed class MetricsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Counters_VirtualBus_ReportSentReceivedAndFiltered()
    {
        var channel = NewChannel();
        using var sent = Collector(CanMetrics.FramesSent);
        using var received = Collector(CanMetrics.FramesReceived);
        using var filtered = Collector(CanMetrics.FramesFiltered);
        using var sender = new VirtualBus(new VirtualBusOptions { Channel = channel });
        using var receiver = new VirtualBus(new VirtualBusOptions { Channel = channel, Filters = [new CanFilter(0x100, 0x7FF)] });

        for (uint i = 0; i < 5; i++)
        {
            sender.Send(new CanMessage(i % 2 == 0 ? 0x100u : 0x200u, [1]));
        }

        while (receiver.Receive(TimeSpan.Zero) is not null)
        {
        }

        Value(sent, "virtual", channel).Should().Be(5);
        Value(received, "virtual", channel).Should().Be(3);
        Value(filtered, "virtual", channel).Should().Be(2);
    }

    [Fact]
    public void Counters_BusOpenedByRegistry_TaggedWithInterfaceNameAndChannel()
    {
        var channel = NewChannel();
        using var sent = Collector(CanMetrics.FramesSent);
        using var bus = CanBus.Create("virtual", channel, ignoreConfig: true);

        bus.Send(new CanMessage(0x1, [1]));

        sent.RecordObservableInstruments();
        var series = sent.GetMeasurementSnapshot().Where(m => Equals(m.Tags[CanMetrics.ChannelTag], channel)).ToList();
        series.Should().ContainSingle();
        series[0].Tags.Should().Contain(CanMetrics.InterfaceTag, "virtual").And.HaveCount(2);
        series[0].Value.Should().Be(1);
    }

    [Fact]
    public void Counters_DisposedBus_KeepsItsCountsInTheSeries()
    {
        var channel = NewChannel();
        using var sent = Collector(CanMetrics.FramesSent);
        var first = new VirtualBus(new VirtualBusOptions { Channel = channel });
        first.Send(new CanMessage(0x1, [1]));
        first.Send(new CanMessage(0x1, [1]));
        first.Send(new CanMessage(0x1, [1]));
        Value(sent, "virtual", channel).Should().Be(3);

        first.Dispose();
        Value(sent, "virtual", channel).Should().Be(3, "a counter never goes down when a bus closes");

        using var second = new VirtualBus(new VirtualBusOptions { Channel = channel });
        second.Send(new CanMessage(0x1, [1]));
        Value(sent, "virtual", channel).Should().Be(4, "buses of one interface and channel share one series");
    }

    [Fact]
    public void Counters_FullReceiveQueue_ReportDroppedFrames()
    {
        var channel = NewChannel();
        using var dropped = Collector(CanMetrics.FramesDropped);
        using var sender = new VirtualBus(new VirtualBusOptions { Channel = channel });
        using var receiver = new VirtualBus(new VirtualBusOptions { Channel = channel, ReceiveQueueCapacity = 2 });

        for (var i = 0; i < 5; i++)
        {
            sender.Send(new CanMessage(0x1, [1]));
        }

        Value(dropped, "virtual", channel).Should().Be(3);
        Value(dropped, "virtual", channel).Should().Be(receiver.Statistics.FramesDropped);
    }

    [Fact]
    public void KernelDrops_BackendWithoutKernelCounter_ReportsNoSeries()
    {
        var channel = NewChannel();
        using var kernel = Collector(CanMetrics.KernelDrops);
        using var bus = new VirtualBus(new VirtualBusOptions { Channel = channel });

        kernel.RecordObservableInstruments();

        kernel.GetMeasurementSnapshot().Should().NotContain(m => Equals(m.Tags[CanMetrics.ChannelTag], channel));
    }

    [Fact]
    public void ReceiveLatency_ListenerAttached_RecordsSecondsFromTheFrameTimestamp()
    {
        var channel = NewChannel();
        using var latency = new MetricCollector<double>(null, CanMetrics.MeterName, CanMetrics.ReceiveLatency);
        using var bus = new ChannelBus();
        bus.SetMetricIdentity("channelbus", channel);

        // A frame stamped half a second ago (as if it had waited in a queue that long).
        bus.Push(new CanMessage(0x1, [1]) { Timestamp = CanClock.Now() - 0.5 });
        bus.Receive(Timeout).Should().NotBeNull();

        var measurements = latency.GetMeasurementSnapshot().Where(m => Equals(m.Tags[CanMetrics.ChannelTag], channel)).ToList();
        measurements.Should().ContainSingle();
        measurements[0].Value.Should().BeInRange(0.5, 5.0);
        measurements[0].Tags.Should().Contain(CanMetrics.InterfaceTag, "channelbus");
    }

    [Fact]
    public void ReceiveLatency_FrameWithoutTimestampOrFromTheFuture_IsSkippedOrClampedToZero()
    {
        var channel = NewChannel();
        using var latency = new MetricCollector<double>(null, CanMetrics.MeterName, CanMetrics.ReceiveLatency);
        using var bus = new ChannelBus();
        bus.SetMetricIdentity("channelbus", channel);

        bus.Push(new CanMessage(0x1, [1]));                                          // no timestamp: nothing to measure
        bus.Push(new CanMessage(0x2, [1]) { Timestamp = CanClock.Now() + 100 });     // another host's clock ahead of ours
        bus.Receive(Timeout).Should().NotBeNull();
        bus.Receive(Timeout).Should().NotBeNull();

        latency.GetMeasurementSnapshot().Where(m => Equals(m.Tags[CanMetrics.ChannelTag], channel))
            .Select(m => m.Value).Should().Equal(0.0);
    }

    [Fact]
    public async Task Periodic_TaskRuns_CountsSendsAndRecordsLateness()
    {
        var channel = NewChannel();
        using var periodicSent = Collector(CanMetrics.PeriodicSent);
        using var lateness = new MetricCollector<double>(null, CanMetrics.MeterName, CanMetrics.PeriodicLateness);
        using var bus = new VirtualBus(new VirtualBusOptions { Channel = channel });

        var task = bus.SendPeriodic(new CanMessage(0x10, [1]), TimeSpan.FromMilliseconds(5));
        await WaitUntilAsync(() => task.Statistics.Sent >= 5);
        task.Stop();

        Value(periodicSent, "virtual", channel).Should().Be(task.Statistics.Sent);
        var slots = lateness.GetMeasurementSnapshot().Where(m => Equals(m.Tags[CanMetrics.ChannelTag], channel)).ToList();
        slots.Should().HaveCountGreaterThanOrEqualTo(5).And.OnlyContain(m => m.Value >= 0 && m.Value < 5);
    }

    [Fact]
    public async Task Periodic_SendFails_CountsErrors()
    {
        var channel = NewChannel();
        using var errors = Collector(CanMetrics.PeriodicErrors);
        using var bus = new FailingBus();
        bus.SetMetricIdentity("failing", channel);

        var task = bus.SendPeriodic(new CanMessage(0x10, [1]), TimeSpan.FromMilliseconds(5), options: new PeriodicSendOptions { OnError = _ => true });
        await WaitUntilAsync(() => task.Statistics.Errors >= 3);
        task.Stop();

        Value(errors, "failing", channel).Should().Be(task.Statistics.Errors);
    }

    [Fact]
    public void Instruments_FollowTheDocumentedNamesAndUnits()
    {
        using var bus = new VirtualBus(new VirtualBusOptions { Channel = NewChannel() });
        var seen = new Dictionary<string, string?>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == CanMetrics.MeterName)
                {
                    lock (seen)
                    {
                        seen[instrument.Name] = instrument.Unit;
                    }
                }
            },
        };
        listener.Start();

        seen.Should().BeEquivalentTo(new Dictionary<string, string?>
        {
            [CanMetrics.FramesSent] = "{frame}",
            [CanMetrics.FramesReceived] = "{frame}",
            [CanMetrics.FramesFiltered] = "{frame}",
            [CanMetrics.FramesDropped] = "{frame}",
            [CanMetrics.FramesMalformed] = "{frame}",
            [CanMetrics.KernelDrops] = "{datagram}",
            [CanMetrics.PeriodicSent] = "{frame}",
            [CanMetrics.PeriodicSkipped] = "{slot}",
            [CanMetrics.PeriodicErrors] = "{error}",
            [CanMetrics.ReceiveLatency] = "s",
            [CanMetrics.PeriodicLateness] = "s",
        });
    }

    [Fact]
    public void Counters_BusWhoseConstructorThrew_IsLeftOutOfTheCollection()
    {
        var channel = NewChannel();
        using var sent = Collector(CanMetrics.FramesSent);
        var construct = () => new HalfBuiltBus();
        construct.Should().Throw<CanInitializationException>();
        using var bus = new VirtualBus(new VirtualBusOptions { Channel = channel });
        bus.Send(new CanMessage(0x1, [1]));

        Value(sent, "virtual", channel).Should().Be(1, "a bus that never finished its constructor must not break the collection");
    }

    private static string NewChannel() => "metrics-" + Guid.NewGuid().ToString("N");

    private static MetricCollector<long> Collector(string instrument) => new(null, CanMetrics.MeterName, instrument);

    /// <summary>Collects the observable counters now and returns the value of one series (0 when it has none).</summary>
    private static long Value(MetricCollector<long> collector, string iface, string channel)
    {
        collector.Clear();
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags[CanMetrics.InterfaceTag], iface) && Equals(m.Tags[CanMetrics.ChannelTag], channel))
            .Select(m => m.Value)
            .SingleOrDefault();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold in time");
            await Task.Delay(5);
        }
    }

    /// <summary>A backend whose constructor fails after the base constructor ran (its ChannelInfo then throws).</summary>
    private sealed class HalfBuiltBus : CanBus
    {
        private readonly string _name;

        public HalfBuiltBus(string? name = null)
        {
            _name = name ?? throw new CanInitializationException("no such device");
        }

        public override string ChannelInfo => _name.ToUpperInvariant();

        protected override bool ReceiveFrame(out CanMessage message, TimeSpan timeout)
        {
            message = default;
            return false;
        }

        protected override ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken) => new((CanMessage?)null);

        protected override void SendFrame(in CanMessage message, TimeSpan timeout)
        {
        }
    }

    private sealed class FailingBus : CanBus
    {
        protected override bool ReceiveFrame(out CanMessage message, TimeSpan timeout)
        {
            message = default;
            return false;
        }

        protected override ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken) => new((CanMessage?)null);

        protected override void SendFrame(in CanMessage message, TimeSpan timeout) => throw new CanOperationException("no wire");
    }
}
