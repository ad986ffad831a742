namespace CanUdpMulticast.Diagnostics;

/// <summary>
/// The names of the library's <see cref="System.Diagnostics.Metrics.Meter"/>, its instruments and their tags, for
/// subscribing (e.g. OpenTelemetry's <c>AddMeter(CanMetrics.MeterName)</c>) and for dashboards. The names follow the
/// OpenTelemetry semantic-convention style: lowercase, dotted, units in UCUM (<c>s</c>, <c>{frame}</c>).
/// </summary>
/// <remarks>
/// Counters are observable: they read every open bus's <see cref="CanBus.Statistics"/> when a listener collects, so
/// they cost nothing per frame. The two histograms are recorded on the hot path only while a listener is attached.
/// Counts of disposed buses stay in their series, so each counter only ever grows. See <c>docs/metrics.md</c>.
/// </remarks>
public static class CanMetrics
{
    /// <summary>The meter's name: the library's name.</summary>
    public const string MeterName = "CanUdpMulticast";

    /// <summary>Tag: the interface name the bus was opened with (<c>udp_multicast</c>, <c>virtual</c>, a plugin's name).</summary>
    public const string InterfaceTag = "can.interface";

    /// <summary>Tag: the channel the bus was opened with (a multicast group, a virtual channel name).</summary>
    public const string ChannelTag = "can.channel";

    /// <summary>Counter, <c>{frame}</c>: frames handed to the backend by <c>Send</c>, <c>SendAsync</c> and <c>SendBatch</c>.</summary>
    public const string FramesSent = "can.bus.frames.sent";

    /// <summary>Counter, <c>{frame}</c>: frames returned to the application by a receive call.</summary>
    public const string FramesReceived = "can.bus.frames.received";

    /// <summary>Counter, <c>{frame}</c>: frames received but rejected by the bus's filters.</summary>
    public const string FramesFiltered = "can.bus.frames.filtered";

    /// <summary>Counter, <c>{frame}</c>: frames lost (a full queue, the kernel's receive buffer, a gap in a sequence).</summary>
    public const string FramesDropped = "can.bus.frames.dropped";

    /// <summary>Counter, <c>{frame}</c>: received data that was not a valid frame and was discarded.</summary>
    public const string FramesMalformed = "can.bus.frames.malformed";

    /// <summary>Counter, <c>{datagram}</c>: datagrams the kernel dropped because the socket's receive buffer was full
    /// (UDP multicast on Linux; also counted in <see cref="FramesDropped"/>). Reported only by buses that can read it.</summary>
    public const string KernelDrops = "can.bus.kernel.dropped";

    /// <summary>Counter, <c>{frame}</c>: frames sent by periodic (cyclic) tasks.</summary>
    public const string PeriodicSent = "can.bus.periodic.sent";

    /// <summary>Counter, <c>{slot}</c>: periodic slots skipped because the scheduler was a whole period or more behind.</summary>
    public const string PeriodicSkipped = "can.bus.periodic.skipped";

    /// <summary>Counter, <c>{error}</c>: periodic sends (or modifier calls) that failed.</summary>
    public const string PeriodicErrors = "can.bus.periodic.errors";

    /// <summary>Histogram, <c>s</c>: from a received frame's timestamp (the kernel's receive time on Linux UDP) to
    /// the moment a receive call hands it to the application.</summary>
    public const string ReceiveLatency = "can.bus.receive.latency";

    /// <summary>Histogram, <c>s</c>: how late a periodic slot's send began after its due time.</summary>
    public const string PeriodicLateness = "can.bus.periodic.lateness";
}
