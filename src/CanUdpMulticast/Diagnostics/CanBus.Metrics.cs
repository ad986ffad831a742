using System.Runtime.CompilerServices;
using CanUdpMulticast.Diagnostics;

namespace CanUdpMulticast;

/// <summary>The bus's part in the library's metrics (<see cref="CanMetrics"/>): its series' tags and the histogram recording points.</summary>
public abstract partial class CanBus
{
    private string? _metricInterface;
    private string? _metricChannel;
    private KeyValuePair<string, object?> _interfaceTag;
    private KeyValuePair<string, object?> _channelTag;

    /// <summary>Creates the bus and adds it to the library's metrics.</summary>
    protected CanBus()
    {
        BusMetrics.Track(this);
    }

    /// <summary>
    /// The (interface, channel) series of this bus: what the registry opened it with, else the backend's defaults
    /// (the built-ins say their registry name and channel; other backends their type name and <see cref="ChannelInfo"/>).
    /// </summary>
    internal (string Interface, string Channel) MetricIdentity =>
        (Volatile.Read(ref _metricInterface) ?? DefaultMetricInterface, Volatile.Read(ref _metricChannel) ?? DefaultMetricChannel);

    /// <summary>The interface name of a bus not opened through the registry.</summary>
    internal virtual string DefaultMetricInterface => GetType().Name;

    /// <summary>The channel of a bus opened without one through the registry, or not through the registry.</summary>
    internal virtual string DefaultMetricChannel => ChannelInfo;

    /// <summary>The kernel's drop count, or -1 where the backend cannot read one.</summary>
    internal virtual long KernelDropCount => -1;

    /// <summary>Names this bus's metric series (called by the registry right after it opened the bus).</summary>
    internal void SetMetricIdentity(string interfaceName, string? channel)
    {
        Volatile.Write(ref _metricInterface, interfaceName);
        Volatile.Write(ref _metricChannel, channel);
        _interfaceTag = default;
    }

    /// <summary>Records the time from the frame's timestamp to now; call only when <see cref="BusMetrics.ReceiveLatency"/> is enabled.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordReceiveLatency(in CanMessage message)
    {
        if (message.Timestamp <= 0)
        {
            return;
        }

        // A timestamp ahead of the local clock (another host's clock, preserved by the backend) counts as 0.
        var latency = Math.Max(0, CanClock.Now() - message.Timestamp);
        EnsureMetricTags();
        BusMetrics.ReceiveLatency.Record(latency, _interfaceTag, _channelTag);
    }

    /// <summary>Records a periodic slot's lateness; call only when <see cref="BusMetrics.PeriodicLateness"/> is enabled.</summary>
    internal void RecordPeriodicLateness(TimeSpan lateness)
    {
        EnsureMetricTags();
        BusMetrics.PeriodicLateness.Record(lateness.TotalSeconds, _interfaceTag, _channelTag);
    }

    private void EnsureMetricTags()
    {
        // Built once per bus (and again after SetMetricIdentity), so recording allocates nothing.
        if (_interfaceTag.Key is null)
        {
            var (iface, channel) = MetricIdentity;
            _channelTag = new(CanMetrics.ChannelTag, channel);
            _interfaceTag = new(CanMetrics.InterfaceTag, iface);
        }
    }
}
