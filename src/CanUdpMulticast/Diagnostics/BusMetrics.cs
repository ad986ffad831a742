using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Diagnostics;

/// <summary>
/// The meter behind <see cref="CanMetrics"/>. Every bus joins <see cref="Track"/> when it is created and leaves through
/// <see cref="Retire"/> when it is disposed; the observable counters read the live buses' counters on collection and
/// add the final counts of the disposed ones, per (interface, channel) series.
/// </summary>
internal static class BusMetrics
{
    /// <summary>Latency buckets in seconds: 10 µs to 1 s (OpenTelemetry's default buckets are made for milliseconds).</summary>
    private static readonly double[] LatencyBuckets =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private static readonly Lock Gate = new();

    // Weak: a bus that is never disposed still goes away with the garbage collector (its counts leave the series then).
    private static readonly ConditionalWeakTable<CanBus, object?> Live = new();
    private static readonly Dictionary<(string Interface, string Channel), BusTotals> Retired = [];

    public static readonly Meter Meter = new(CanMetrics.MeterName, typeof(BusMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    public static readonly Histogram<double> ReceiveLatency = Meter.CreateHistogram(
        CanMetrics.ReceiveLatency, "s", "Time from a received frame's timestamp to its delivery to the application.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    public static readonly Histogram<double> PeriodicLateness = Meter.CreateHistogram(
        CanMetrics.PeriodicLateness, "s", "How late a periodic send began after its due time.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    static BusMetrics()
    {
        Counter(CanMetrics.FramesSent, "{frame}", "Frames sent.", static t => t.Sent);
        Counter(CanMetrics.FramesReceived, "{frame}", "Frames returned to the application.", static t => t.Received);
        Counter(CanMetrics.FramesFiltered, "{frame}", "Frames rejected by the bus's filters.", static t => t.Filtered);
        Counter(CanMetrics.FramesDropped, "{frame}", "Frames lost to a full queue or receive buffer.", static t => t.Dropped);
        Counter(CanMetrics.FramesMalformed, "{frame}", "Received data that was not a valid frame.", static t => t.Malformed);
        Counter(CanMetrics.KernelDrops, "{datagram}", "Datagrams dropped by the kernel (receive buffer full).", static t => t.KernelDrops);
        Counter(CanMetrics.PeriodicSent, "{frame}", "Frames sent by periodic tasks.", static t => t.PeriodicSent);
        Counter(CanMetrics.PeriodicSkipped, "{slot}", "Periodic slots skipped because the scheduler was behind.", static t => t.PeriodicSkipped);
        Counter(CanMetrics.PeriodicErrors, "{error}", "Periodic sends that failed.", static t => t.PeriodicErrors);
    }

    /// <summary>Adds a new bus to the series.</summary>
    public static void Track(CanBus bus)
    {
        lock (Gate)
        {
            Live.AddOrUpdate(bus, null);
        }
    }

    /// <summary>Moves a disposed bus's final counts into its series' retired totals.</summary>
    public static void Retire(CanBus bus)
    {
        var known = TryRead(bus, out var key, out var totals);
        lock (Gate)
        {
            if (Live.Remove(bus) && known)
            {
                Retired[key] = Retired.TryGetValue(key, out var sum) ? sum.Add(totals) : totals;
            }
        }
    }

    private static void Counter(string name, string unit, string description, Func<BusTotals, long> select) =>
        Meter.CreateObservableCounter(name, () => Observe(select), unit, description);

    private static List<Measurement<long>> Observe(Func<BusTotals, long> select)
    {
        Dictionary<(string Interface, string Channel), BusTotals> series;
        lock (Gate)
        {
            series = new(Retired);
            foreach (var (bus, _) in Live)
            {
                if (TryRead(bus, out var key, out var totals))
                {
                    series[key] = series.TryGetValue(key, out var sum) ? sum.Add(totals) : totals;
                }
            }
        }

        var measurements = new List<Measurement<long>>(series.Count);
        foreach (var ((iface, channel), totals) in series)
        {
            var value = select(totals);
            if (value >= 0)
            {
                measurements.Add(new Measurement<long>(value,
                    new KeyValuePair<string, object?>(CanMetrics.InterfaceTag, iface),
                    new KeyValuePair<string, object?>(CanMetrics.ChannelTag, channel)));
            }
        }

        return measurements;
    }

    /// <summary>
    /// Reads a live bus. A bus joins in the base constructor, so one whose backend constructor is still running (or threw:
    /// it stays here until collected) may not answer yet; it is left out (it has counted nothing).
    /// </summary>
    private static bool TryRead(CanBus bus, out (string Interface, string Channel) key, out BusTotals totals)
    {
        try
        {
            key = bus.MetricIdentity;
            totals = BusTotals.Of(bus);
            return key.Interface is not null && key.Channel is not null;
        }
#pragma warning disable CA1031 // A half-built bus may throw anything; the collection must go on.
        catch (Exception)
#pragma warning restore CA1031
        {
            key = default;
            totals = default;
            return false;
        }
    }

    /// <summary>One bus's counts (or a series' sum). <see cref="KernelDrops"/> is -1 where the backend cannot read it.</summary>
    private readonly record struct BusTotals(
        long Sent, long Received, long Filtered, long Dropped, long Malformed, long KernelDrops,
        long PeriodicSent, long PeriodicSkipped, long PeriodicErrors)
    {
        public static BusTotals Of(CanBus bus)
        {
            var s = bus.Statistics;
            var p = bus.PeriodicTotals;
            return new(s.FramesSent, s.FramesReceived, s.FramesFilteredOut, s.FramesDropped, s.MalformedFrames,
                bus.KernelDropCount, p.Sent, p.Skipped, p.Errors);
        }

        public BusTotals Add(BusTotals other) => new(
            Sent + other.Sent, Received + other.Received, Filtered + other.Filtered, Dropped + other.Dropped,
            Malformed + other.Malformed, Sum(KernelDrops, other.KernelDrops),
            PeriodicSent + other.PeriodicSent, PeriodicSkipped + other.PeriodicSkipped, PeriodicErrors + other.PeriodicErrors);

        private static long Sum(long a, long b) => a < 0 ? b : b < 0 ? a : a + b;
    }
}
