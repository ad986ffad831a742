using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Periodic;

/// <summary>
/// Runs the due slots of many periodic tasks from one queue ordered by due time (a timestamp of the
/// <see cref="TimeProvider"/>). <see cref="TimeProvider.System"/> gets one precise thread for the whole process
/// (<see cref="ThreadPeriodicScheduler"/>); any other provider gets one scheduler driven by its timers
/// (<see cref="TimerPeriodicScheduler"/>), which makes tests on a fake clock deterministic.
/// </summary>
/// <remarks>Stopping a task does not search the queue: each entry carries the task's run generation and a stale
/// entry is dropped when it comes due.</remarks>
internal abstract class PeriodicScheduler
{
    private static readonly ConditionalWeakTable<TimeProvider, PeriodicScheduler> ByProvider = [];
    private static readonly Lazy<PeriodicScheduler> SystemScheduler = new(() => new ThreadPeriodicScheduler());

    private readonly PriorityQueue<(CyclicSendTask Task, int Generation), (long Due, long Sequence)> _queue = new();
    private long _sequence;

    protected PeriodicScheduler(TimeProvider time)
    {
        Time = time;
    }

    /// <summary>The clock of the schedule.</summary>
    public TimeProvider Time { get; }

    /// <summary>Guards the queue; subclasses also wait on it.</summary>
    protected object Gate { get; } = new();

    /// <summary>The scheduler for a clock.</summary>
    public static PeriodicScheduler For(TimeProvider time) =>
        ReferenceEquals(time, TimeProvider.System)
            ? SystemScheduler.Value
            : ByProvider.GetValue(time, static provider => new TimerPeriodicScheduler(provider));

    /// <summary>Converts a duration to timestamp units of <paramref name="time"/>, saturating at <see cref="long.MaxValue"/>.</summary>
    public static long ToTimestampUnits(TimeProvider time, TimeSpan span)
    {
        var units = Math.Round(span.Ticks * (double)time.TimestampFrequency / TimeSpan.TicksPerSecond);
        return units >= long.MaxValue ? long.MaxValue : (long)units;
    }

    /// <summary>Converts timestamp units of <paramref name="time"/> to a duration, rounding up.</summary>
    public static TimeSpan FromTimestampUnits(TimeProvider time, long units)
    {
        var ticks = Math.Ceiling(units * (double)TimeSpan.TicksPerSecond / time.TimestampFrequency);
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Queues a slot of a task's run.</summary>
    public void Schedule(CyclicSendTask task, int generation, long due)
    {
        bool notify;
        lock (Gate)
        {
            _queue.Enqueue((task, generation), (due, _sequence++));
            notify = OnScheduled(due);
        }

        if (notify)
        {
            AfterScheduled();
        }
    }

    /// <summary>Called under <see cref="Gate"/> after an entry was queued; returns whether <see cref="AfterScheduled"/> must run.</summary>
    protected abstract bool OnScheduled(long due);

    /// <summary>Called outside the lock when <see cref="OnScheduled"/> asked for it.</summary>
    protected virtual void AfterScheduled()
    {
    }

    /// <summary>Called under <see cref="Gate"/> when <see cref="RunDue"/> found nothing more to run.</summary>
    protected virtual void OnNextDue(long due)
    {
    }

    /// <summary>
    /// Runs the queue's operations once on a dummy entry, so the JIT compiles them (a value-type instantiation, not
    /// precompiled in the runtime) before the first slot rather than during it.
    /// </summary>
    protected void WarmQueue()
    {
        lock (Gate)
        {
            if (_queue.Count == 0)
            {
                _queue.Enqueue((null!, 0), (long.MaxValue, long.MaxValue));
                _ = _queue.TryPeek(out _, out _);
                _ = _queue.Dequeue();
            }
        }
    }

    /// <summary>The due time of the earliest entry, or <see cref="long.MaxValue"/>. Call under <see cref="Gate"/>.</summary>
    protected long PeekDue() => _queue.TryPeek(out _, out var priority) ? priority.Due : long.MaxValue;

    /// <summary>Runs every entry that is due, in due order, and returns the next due time (or <see cref="long.MaxValue"/>).</summary>
    protected long RunDue()
    {
        while (true)
        {
            (CyclicSendTask Task, int Generation) entry;
            long due;
            var now = Time.GetTimestamp();
            lock (Gate)
            {
                if (!_queue.TryPeek(out entry, out var priority) || priority.Due > now)
                {
                    var next = _queue.Count == 0 ? long.MaxValue : priority.Due;
                    OnNextDue(next);
                    return next;
                }

                _queue.Dequeue();
                due = priority.Due;
            }

            long nextDue;
            try
            {
                nextDue = entry.Task.Execute(entry.Generation, due);
            }
#pragma warning disable CA1031 // E.g. a user's logger that throws: stop that task, keep serving the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                entry.Task.StopAfterFailure(e);
                nextDue = -1;
            }
            if (nextDue >= 0)
            {
                lock (Gate)
                {
                    _queue.Enqueue(entry, (nextDue, _sequence++));
                }
            }
        }
    }
}
