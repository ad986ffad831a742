namespace CanUdpMulticast.Periodic;

/// <summary>
/// A scheduler driven by the timers of a <see cref="TimeProvider"/> other than the system one (typically a fake
/// clock in tests): one timer armed for the earliest entry. Entries run one at a time, in due order.
/// </summary>
internal sealed class TimerPeriodicScheduler : PeriodicScheduler
{
    private readonly ITimer _timer;

    // Serializes ITimer.Change calls; each call reads the newest queue head, so the last change always wins with it.
    private readonly object _timerGate = new();
    private bool _running;

    public TimerPeriodicScheduler(TimeProvider time)
        : base(time)
    {
        _timer = time.CreateTimer(static state => ((TimerPeriodicScheduler)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    protected override bool OnScheduled(long due) => !_running;

    protected override void AfterScheduled() => Arm();

    private void OnTimer()
    {
        lock (Gate)
        {
            if (_running)
            {
                return;
            }

            _running = true;
        }

        try
        {
            RunDue();
        }
        finally
        {
            lock (Gate)
            {
                _running = false;
            }

            Arm();
        }
    }

    private void Arm()
    {
        lock (_timerGate)
        {
            long due;
            lock (Gate)
            {
                if (_running)
                {
                    return;
                }

                due = PeekDue();
            }

            if (due == long.MaxValue)
            {
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            else
            {
                var delay = Math.Max(0, due - Time.GetTimestamp());
                _timer.Change(FromTimestampUnits(Time, delay), Timeout.InfiniteTimeSpan);
            }
        }
    }
}
