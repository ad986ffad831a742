using System.Diagnostics;

namespace CanUdpMulticast.Cli.Replay;

/// <summary>
/// When each replayed frame is due (python-can's <c>MessageSync</c>): with timestamps, frame <c>i</c> goes out at
/// <c>start + (t_i - t_0)</c>, where any wait longer than <see cref="Skip"/> is cut to <see cref="Skip"/> (and the
/// time cut is carried forward); without timestamps, one frame every <see cref="Gap"/>. Waits are scheduled
/// against the start time, so timer jitter does not add up over a long file.
/// </summary>
internal sealed class ReplayScheduler
{
    // Closer than this to its time, a frame goes now (python-can: sleeps only above 0.1 ms).
    private static readonly TimeSpan EarlyEnough = TimeSpan.FromMilliseconds(0.2);
    private readonly Func<TimeSpan> _elapsed;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private double? _firstTimestamp;
    private TimeSpan _origin;
    private TimeSpan _wakeup;
    private TimeSpan _skipped;

    public ReplayScheduler(bool useTimestamps, TimeSpan gap, TimeSpan skip)
        : this(useTimestamps, gap, skip, StopwatchClock(), static (t, ct) => Task.Delay(t, ct))
    {
    }

    /// <summary>Creates a scheduler with its own clock and delay (tests).</summary>
    /// <param name="useTimestamps">Honour the frames' timestamps.</param>
    /// <param name="gap">The time between frames when timestamps are ignored.</param>
    /// <param name="skip">The longest wait between two frames.</param>
    /// <param name="elapsed">Time since some fixed start.</param>
    /// <param name="delay">Waits.</param>
    public ReplayScheduler(bool useTimestamps, TimeSpan gap, TimeSpan skip, Func<TimeSpan> elapsed, Func<TimeSpan, CancellationToken, Task> delay)
    {
        UseTimestamps = useTimestamps;
        Gap = gap;
        Skip = skip;
        _elapsed = elapsed;
        _delay = delay;
        Restart();
    }

    public bool UseTimestamps { get; }

    public TimeSpan Gap { get; }

    public TimeSpan Skip { get; }

    /// <summary>Starts a new pass (a new loop over the file): now is the new time origin.</summary>
    public void Restart()
    {
        _firstTimestamp = null;
        _skipped = TimeSpan.Zero;
        _origin = _elapsed();
        _wakeup = _origin;
    }

    /// <summary>Waits until the frame with <paramref name="timestamp"/> is due.</summary>
    /// <param name="timestamp">The frame's recorded timestamp in seconds.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the frame is due.</returns>
    public async Task WaitAsync(double timestamp, CancellationToken cancellationToken)
    {
        if (UseTimestamps)
        {
            _firstTimestamp ??= timestamp;
            _wakeup = _origin + TimeSpan.FromSeconds(timestamp - _firstTimestamp.Value) - _skipped;
        }
        else
        {
            _wakeup += Gap;
        }

        var sleep = _wakeup - _elapsed();
        if (sleep > Skip)
        {
            _skipped += sleep - Skip;
            _wakeup -= sleep - Skip;
            sleep = Skip;
        }

        while (sleep > EarlyEnough)
        {
            await _delay(sleep, cancellationToken);
            sleep = _wakeup - _elapsed();
        }
    }

    private static Func<TimeSpan> StopwatchClock()
    {
        var start = Stopwatch.GetTimestamp();
        return () => Stopwatch.GetElapsedTime(start);
    }
}
