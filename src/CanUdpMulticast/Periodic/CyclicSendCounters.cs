using CanUdpMulticast.Diagnostics;

namespace CanUdpMulticast.Periodic;

/// <summary>
/// Counts what a periodic task did over its lifetime (<see cref="CyclicSendTaskStatistics"/>) and reports the same
/// events to its bus's counters and metrics, so both always agree. Thread-safe: read while the scheduler counts.
/// </summary>
internal sealed class CyclicSendCounters(CanBus bus, TimeProvider time)
{
    private long _sent;
    private long _skipped;
    private long _errors;
    private long _served;
    private long _latenessSum;
    private long _latenessMax;

    public void CountSent()
    {
        Interlocked.Increment(ref _sent);
        bus.CountPeriodicSent();
    }

    public void CountSkipped(long slots)
    {
        Interlocked.Add(ref _skipped, slots);
        bus.CountPeriodicSkipped(slots);
    }

    public void CountError()
    {
        Interlocked.Increment(ref _errors);
        bus.CountPeriodicError();
    }

    /// <summary>Records how late a slot was served, in timestamp units (negative counts as zero).</summary>
    public void RecordLateness(long lateness)
    {
        if (lateness < 0)
        {
            lateness = 0;
        }

        if (BusMetrics.PeriodicLateness.Enabled)
        {
            bus.RecordPeriodicLateness(PeriodicScheduler.FromTimestampUnits(time, lateness));
        }

        Interlocked.Increment(ref _served);
        Interlocked.Add(ref _latenessSum, lateness);
        if (lateness > Interlocked.Read(ref _latenessMax))
        {
            Interlocked.Exchange(ref _latenessMax, lateness);
        }
    }

    public CyclicSendTaskStatistics Snapshot()
    {
        var served = Interlocked.Read(ref _served);
        var mean = served == 0 ? 0 : Interlocked.Read(ref _latenessSum) / served;
        return new CyclicSendTaskStatistics(
            Interlocked.Read(ref _sent),
            Interlocked.Read(ref _skipped),
            Interlocked.Read(ref _errors),
            PeriodicScheduler.FromTimestampUnits(time, Interlocked.Read(ref _latenessMax)),
            PeriodicScheduler.FromTimestampUnits(time, mean));
    }
}
