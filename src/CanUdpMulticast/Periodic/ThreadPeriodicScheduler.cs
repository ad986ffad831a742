using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Periodic;

/// <summary>
/// The process-wide scheduler for <see cref="TimeProvider.System"/>: one background thread that sleeps until shortly
/// before the next due time and spins the rest (see <see cref="PeriodicScheduling"/>). One thread serves any number
/// of tasks on any number of buses.
/// </summary>
internal sealed class ThreadPeriodicScheduler : PeriodicScheduler
{
    private static readonly long OneMillisecond = Stopwatch.Frequency / 1000;

    private readonly Thread _thread;

    // The due time the thread is about to wait for or waits for; a new earlier entry sets _wake and pulses.
    private long _waitingFor = long.MaxValue;
    private bool _wake;

    // Spin budget (token bucket) in Stopwatch ticks.
    private double _spinBudget;
    private long _budgetRefilledAt;

    /// <summary>
    /// Starts the thread and waits until it is warm (once per process, at the first periodic task): a cold thread
    /// sent the first frame late and stalled for milliseconds before its second slot while the runtime compiled its
    /// wait path and built the <c>nanosleep</c> interop stub.
    /// </summary>
    public ThreadPeriodicScheduler()
        : base(TimeProvider.System)
    {
        using var warm = new ManualResetEventSlim();
        _thread = new Thread(() => Run(warm))
        {
            IsBackground = true,
            Name = "CAN periodic scheduler",
            Priority = ThreadPriority.AboveNormal,
        };
        _thread.Start();
        warm.Wait(TimeSpan.FromSeconds(2));
    }

    protected override bool OnScheduled(long due)
    {
        if (due < _waitingFor)
        {
            _wake = true;
            Monitor.Pulse(Gate);
        }

        return false;
    }

    protected override void OnNextDue(long due)
    {
        _waitingFor = due;
        _wake = false;
    }

    private void Run(ManualResetEventSlim warm)
    {
        PreciseSleep.MinimizeTimerSlack();
        WarmUp();
        _budgetRefilledAt = Stopwatch.GetTimestamp();
        warm.Set();
        while (true)
        {
            long next;
            try
            {
                next = RunDue();
            }
#pragma warning disable CA1031 // The scheduler thread must never die; tasks report their own errors.
            catch (Exception)
#pragma warning restore CA1031
            {
                continue;
            }

            WaitUntil(next);
        }
    }

    /// <summary>
    /// Compiles this thread's paths and builds the interop stubs before the first slot: every wait primitive once with
    /// a zero or tiny duration, and the send path of the tasks (<see cref="CyclicSendTask.Execute"/>) prepared.
    /// </summary>
    private void WarmUp()
    {
        PreciseSleep.Sleep(1);
        lock (Gate)
        {
            Monitor.Wait(Gate, 0);
        }

        WaitUntil(Stopwatch.GetTimestamp());
        _ = AvailableSpin(Stopwatch.GetTimestamp());
        _spinBudget = 0;

        // The first slot also ran the queue's operations, the scheduling call (after the task's start time was taken) and
        // the task's bookkeeping for the first time: measured in a fresh process (the harness's lib-cold row) the first
        // frame left 0.6-1.4 ms behind its schedule on a loaded machine.
        WarmQueue();
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        foreach (var method in new[]
        {
            typeof(PeriodicScheduler).GetMethod(nameof(RunDue), Instance),
            typeof(PeriodicScheduler).GetMethod(nameof(Schedule), Instance),
            typeof(ThreadPeriodicScheduler).GetMethod(nameof(OnScheduled), Instance),
            typeof(CyclicSendTask).GetMethod(nameof(CyclicSendTask.Execute), Instance),
            typeof(CyclicSendCounters).GetMethod(nameof(CyclicSendCounters.RecordLateness), Instance),
            typeof(CyclicSendCounters).GetMethod(nameof(CyclicSendCounters.CountSent), Instance),
            typeof(CanBus).GetMethod(nameof(CanBus.CountPeriodicSent), Instance),
        })
        {
            if (method is not null)
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }
    }

    private void WaitUntil(long due)
    {
        var spinWindow = PreciseSleep.ToStopwatchTicks(PeriodicScheduling.SpinWindow);
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            var remaining = due - now;
            if (remaining <= 0)
            {
                return;
            }

            var spin = Math.Min(spinWindow, AvailableSpin(now));
            if (due == long.MaxValue || remaining - spin > OneMillisecond)
            {
                // Coarse part: an interruptible wait, so a new earlier entry wakes the thread at once.
                lock (Gate)
                {
                    if (_wake)
                    {
                        return;
                    }

                    var milliseconds = due == long.MaxValue ? Timeout.Infinite : (int)Math.Min(int.MaxValue, (remaining - spin) / OneMillisecond);
                    Monitor.Wait(Gate, milliseconds);
                    if (_wake)
                    {
                        return;
                    }
                }

                continue;
            }

            if (remaining > spin)
            {
                // Fine part (< ~1 ms): not interruptible, so a new entry waits at most this long.
                if (Volatile.Read(ref _wake))
                {
                    return;
                }

                PreciseSleep.Sleep(remaining - spin);
                continue;
            }

            // Last part: busy-wait.
            var spinStart = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.SpinWait(8);
            }

            _spinBudget -= Stopwatch.GetTimestamp() - spinStart;
            return;
        }
    }

    private long AvailableSpin(long now)
    {
        var share = PeriodicScheduling.MaxSpinShare;
        var capacity = 20.0 * OneMillisecond * share;
        _spinBudget = Math.Min(capacity, _spinBudget + ((now - _budgetRefilledAt) * share));
        _budgetRefilledAt = now;
        return _spinBudget <= 0 ? 0 : (long)_spinBudget;
    }
}
