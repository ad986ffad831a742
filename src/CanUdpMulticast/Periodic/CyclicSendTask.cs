using Microsoft.Extensions.Logging.Abstractions;

namespace CanUdpMulticast.Periodic;

/// <summary>The periodic task of <see cref="CanBus.SendPeriodic(ReadOnlySpan{CanMessage}, TimeSpan, TimeSpan?, PeriodicSendOptions?)"/>.</summary>
/// <remarks>
/// Slots run on the scheduler under <see cref="_gate"/>, which <see cref="Stop"/> also takes: that is what makes
/// "no send after Stop returns" hold. The scheduler is never called while <see cref="_gate"/> is held, because a
/// fake clock may run timer callbacks (other tasks' slots) synchronously inside the scheduling call.
/// </remarks>
internal sealed class CyclicSendTask : ICyclicSendTask
{
    private readonly CanBus _bus;
    private readonly PeriodicScheduler _scheduler;
    private readonly TimeProvider _time;
    private readonly Func<CanMessage, CanMessage>? _modifier;
    private readonly TimeSpan? _sendTimeout;
    private readonly bool _skipMissedSlots;
    private readonly long _period;
    private readonly bool _isExtendedId;
    private readonly CanChannel _channel;
    private readonly Lock _gate = new();

    private CanMessage[] _messages;
    private TimeSpan? _duration;
    private int _generation;
    private bool _running;
    private long _start;
    private long _end = long.MaxValue;
    private long _slot;
    private int _next;
    private TaskCompletionSource _completion;
    private CyclicSendStopReason _stopReason;
    private Exception? _lastError;

    private readonly CyclicSendCounters _counters;
    private readonly CyclicSendErrorPolicy _errorPolicy;

    public CyclicSendTask(CanBus bus, ReadOnlySpan<CanMessage> messages, TimeSpan period, TimeSpan? duration, PeriodicSendOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        CyclicSendChecks.CheckDuration(duration);
        CyclicSendChecks.CheckMessages(messages, nameof(messages));
        if (options.SendTimeout is { } sendTimeout && sendTimeout < TimeSpan.Zero && sendTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), sendTimeout, "PeriodicSendOptions.SendTimeout must be zero, positive, or null to wait as long as needed.");
        }

        _bus = bus;
        _time = options.TimeProvider ?? throw new ArgumentException("PeriodicSendOptions.TimeProvider must not be null.", nameof(options));
        _scheduler = PeriodicScheduler.For(_time);
        _modifier = options.Modifier;
        _sendTimeout = options.SendTimeout;
        _skipMissedSlots = options.SkipMissedSlots;
        _period = Math.Max(1, PeriodicScheduler.ToTimestampUnits(_time, period));
        _messages = messages.ToArray();
        ArbitrationId = messages[0].ArbitrationId;
        _isExtendedId = messages[0].IsExtendedId;
        _channel = messages[0].Channel;
        _counters = new CyclicSendCounters(bus, _time);
        _errorPolicy = new CyclicSendErrorPolicy(bus, ArbitrationId, options.OnError, options.Logger ?? NullLogger.Instance);
        Period = period;
        _duration = duration;
        _completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _completion.SetResult();
    }

    public CanBus Bus => _bus;

    public uint ArbitrationId { get; }

    public TimeSpan Period { get; }

    public TimeSpan? Duration
    {
        get
        {
            lock (_gate)
            {
                return _duration;
            }
        }
    }

    public IReadOnlyList<CanMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public bool IsRunning => Volatile.Read(ref _running);

    public CyclicSendStopReason StopReason
    {
        get
        {
            lock (_gate)
            {
                return _stopReason;
            }
        }
    }

    public Exception? LastError => Volatile.Read(ref _lastError);

    public CyclicSendTaskStatistics Statistics => _counters.Snapshot();

    public Task Completion
    {
        get
        {
            lock (_gate)
            {
                return _completion.Task;
            }
        }
    }

    public void Start()
    {
        int generation;
        long start;
        lock (_gate)
        {
            if (_running)
            {
                return;
            }

            // Registration fails once the bus is disposed (also when that races with this call).
            _bus.RegisterPeriodicTask(this);
            generation = ++_generation;
            _running = true;
            _stopReason = CyclicSendStopReason.None;
            start = _time.GetTimestamp();
            _start = start;
            _end = _duration is { } duration ? SaturatingAdd(start, PeriodicScheduler.ToTimestampUnits(_time, duration)) : long.MaxValue;
            _slot = 0;
            _next = 0;
            _completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _scheduler.Schedule(this, generation, start);
    }

    public void Start(TimeSpan? duration)
    {
        CyclicSendChecks.CheckDuration(duration);
        lock (_gate)
        {
            if (_running)
            {
                throw new InvalidOperationException("The periodic task is running; stop it before starting it with a new duration.");
            }

            _duration = duration;
        }

        Start();
    }

    public void Stop()
    {
        lock (_gate)
        {
            StopLocked(CyclicSendStopReason.Stopped);
        }
    }

    public void ModifyData(in CanMessage message) => ModifyData(new ReadOnlySpan<CanMessage>(in message));

    public void ModifyData(ReadOnlySpan<CanMessage> messages)
    {
        CyclicSendChecks.CheckReplacement(messages, _messages.Length, ArbitrationId, _isExtendedId, _channel, nameof(messages));

        var copy = messages.ToArray();
        lock (_gate)
        {
            _messages = copy;
        }
    }

    public void Dispose() => Stop();

    public ValueTask DisposeAsync()
    {
        Stop();
        return default;
    }

    /// <summary>Stops the task because its bus is being disposed.</summary>
    internal void StopForBusDisposal()
    {
        lock (_gate)
        {
            StopLocked(CyclicSendStopReason.BusDisposed);
        }
    }

    /// <summary>Stops the task after <see cref="Execute"/> failed unexpectedly (e.g. the logger threw).</summary>
    internal void StopAfterFailure(Exception exception)
    {
        lock (_gate)
        {
            Volatile.Write(ref _lastError, exception);
            StopLocked(CyclicSendStopReason.Error);
        }
    }

    /// <summary>
    /// Serves one slot: sends the due message (after the modifier) and returns the due time of the next slot, or -1
    /// when this run is over. Called by the scheduler; throws only if the logger does.
    /// </summary>
    internal long Execute(int generation, long due)
    {
        lock (_gate)
        {
            if (generation != _generation || !_running)
            {
                return -1;
            }

            if (due >= _end)
            {
                StopLocked(CyclicSendStopReason.DurationElapsed);
                return -1;
            }

            _counters.RecordLateness(_time.GetTimestamp() - due);
            var index = _next;
            try
            {
                var message = _messages[index];
                if (_modifier is not null)
                {
                    message = _modifier(message);
                    _messages[index] = message;
                }

                _bus.Send(message, _sendTimeout);
                _counters.CountSent();
            }
#pragma warning disable CA1031 // Every failure goes to the error callback or stops the task; the scheduler must go on.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                if (generation == _generation && !ContinueAfter(exception, out var reason))
                {
                    StopLocked(reason);
                    return -1;
                }
            }

            // A callback may have stopped or restarted the task.
            if (generation != _generation || !_running)
            {
                return -1;
            }

            _next = (index + 1) % _messages.Length;
            _slot++;
            var nextDue = _start + (_slot * _period);
            var now = _time.GetTimestamp();
            if (_skipMissedSlots && nextDue <= now)
            {
                var behind = ((now - nextDue) / _period) + 1;
                _slot += behind;
                nextDue = _start + (_slot * _period);

                // Count only the skipped slots that lie before the end of the run.
                var lastSkipped = nextDue - _period;
                var skippedBeforeEnd = lastSkipped < _end ? behind : behind - (((lastSkipped - _end) / _period) + 1);
                _counters.CountSkipped(Math.Max(0, skippedBeforeEnd));
            }

            // Past the end, wake once more at the end to stop (so IsRunning turns false on time).
            return Math.Min(nextDue, _end);
        }
    }

    private bool ContinueAfter(Exception exception, out CyclicSendStopReason reason)
    {
        _counters.CountError();
        Volatile.Write(ref _lastError, exception);
        return _errorPolicy.ShouldContinue(exception, out reason);
    }

    private void StopLocked(CyclicSendStopReason reason)
    {
        if (!_running)
        {
            return;
        }

        Volatile.Write(ref _running, false);
        _generation++;
        _stopReason = reason;
        _bus.UnregisterPeriodicTask(this);
        _completion.TrySetResult();
    }

    private static long SaturatingAdd(long a, long b) => b > long.MaxValue - a ? long.MaxValue : a + b;


}
