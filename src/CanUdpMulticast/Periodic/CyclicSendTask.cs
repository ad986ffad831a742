using CanUdpMulticast.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CanUdpMulticast.Periodic;

/// <summary>The periodic task of <see cref="CanBus.SendPeriodic(ReadOnlySpan{CanMessage}, TimeSpan, TimeSpan?, PeriodicSendOptions?)"/>.</summary>
/// <remarks>
/// Slots run on the scheduler under <see cref="_gate"/>, which <see cref="Stop"/> also takes: that is what makes
/// "no send after Stop returns" hold. The scheduler is never called while <see cref="_gate"/> is held, because a
/// fake clock may run timer callbacks (other tasks' slots) synchronously inside the scheduling call.
/// </remarks>
internal sealed partial class CyclicSendTask : ICyclicSendTask
{
    private readonly CanBus _bus;
    private readonly PeriodicScheduler _scheduler;
    private readonly TimeProvider _time;
    private readonly Func<CanMessage, CanMessage>? _modifier;
    private readonly Func<Exception, bool>? _onError;
    private readonly ILogger _logger;
    private readonly TimeSpan _sendTimeout;
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

    private long _sent;
    private long _skipped;
    private long _errors;
    private long _served;
    private long _latenessSum;
    private long _latenessMax;

    public CyclicSendTask(CanBus bus, ReadOnlySpan<CanMessage> messages, TimeSpan period, TimeSpan? duration, PeriodicSendOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        CheckDuration(duration);
        CheckMessages(messages, nameof(messages));
        if (options.SendTimeout < TimeSpan.Zero && options.SendTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SendTimeout, "PeriodicSendOptions.SendTimeout must be zero, positive or Timeout.InfiniteTimeSpan.");
        }

        _bus = bus;
        _time = options.TimeProvider ?? throw new ArgumentException("PeriodicSendOptions.TimeProvider must not be null.", nameof(options));
        _scheduler = PeriodicScheduler.For(_time);
        _modifier = options.Modifier;
        _onError = options.OnError;
        _logger = options.Logger ?? NullLogger.Instance;
        _sendTimeout = options.SendTimeout;
        _skipMissedSlots = options.SkipMissedSlots;
        _period = Math.Max(1, PeriodicScheduler.ToTimestampUnits(_time, period));
        _messages = messages.ToArray();
        ArbitrationId = messages[0].ArbitrationId;
        _isExtendedId = messages[0].IsExtendedId;
        _channel = messages[0].Channel;
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

    public CyclicSendTaskStatistics Statistics
    {
        get
        {
            var served = Interlocked.Read(ref _served);
            var mean = served == 0 ? 0 : Interlocked.Read(ref _latenessSum) / served;
            return new CyclicSendTaskStatistics(
                Interlocked.Read(ref _sent),
                Interlocked.Read(ref _skipped),
                Interlocked.Read(ref _errors),
                PeriodicScheduler.FromTimestampUnits(_time, Interlocked.Read(ref _latenessMax)),
                PeriodicScheduler.FromTimestampUnits(_time, mean));
        }
    }

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
        CheckDuration(duration);
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
        CheckMessages(messages, nameof(messages));
        if (messages.Length != _messages.Length)
        {
            throw new ArgumentException(
                $"The periodic task sends {_messages.Length} message(s); ModifyData must pass the same number, not {messages.Length}.", nameof(messages));
        }

        if (messages[0].ArbitrationId != ArbitrationId || messages[0].IsExtendedId != _isExtendedId)
        {
            throw new ArgumentException(
                $"The arbitration id of a periodic task cannot change: it sends {FormatId(ArbitrationId, _isExtendedId)}, not {FormatId(messages[0].ArbitrationId, messages[0].IsExtendedId)}.",
                nameof(messages));
        }

        if (!messages[0].Channel.Equals(_channel))
        {
            throw new ArgumentException(
                $"The channel of a periodic task cannot change: it sends on '{_channel}', not '{messages[0].Channel}'.", nameof(messages));
        }

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

            RecordLateness(_time.GetTimestamp() - due);
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
                Interlocked.Increment(ref _sent);
                _bus.CountPeriodicSent();
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
                Interlocked.Add(ref _skipped, Math.Max(0, skippedBeforeEnd));
                _bus.CountPeriodicSkipped(Math.Max(0, skippedBeforeEnd));
            }

            // Past the end, wake once more at the end to stop (so IsRunning turns false on time).
            return Math.Min(nextDue, _end);
        }
    }

    private bool ContinueAfter(Exception exception, out CyclicSendStopReason reason)
    {
        Interlocked.Increment(ref _errors);
        _bus.CountPeriodicError();
        Volatile.Write(ref _lastError, exception);
        reason = CyclicSendStopReason.Error;
        if (exception is ObjectDisposedException && _bus.IsDisposed)
        {
            reason = CyclicSendStopReason.BusDisposed;
            return false;
        }

        if (_onError is null)
        {
            Log.SendFailedStopped(_logger, ArbitrationId, _bus.ChannelInfo, exception);
            return false;
        }

        bool goOn;
        try
        {
            goOn = _onError(exception);
        }
#pragma warning disable CA1031 // A throwing error callback stops the task; it must not kill the scheduler.
        catch (Exception callbackError)
#pragma warning restore CA1031
        {
            Log.ErrorCallbackFailed(_logger, ArbitrationId, _bus.ChannelInfo, callbackError);
            return false;
        }

        if (goOn)
        {
            Log.SendFailedContinuing(_logger, ArbitrationId, _bus.ChannelInfo, exception);
        }
        else
        {
            Log.SendFailedStoppedByCallback(_logger, ArbitrationId, _bus.ChannelInfo, exception);
        }

        return goOn;
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

    private void RecordLateness(long lateness)
    {
        if (lateness < 0)
        {
            lateness = 0;
        }

        if (BusMetrics.PeriodicLateness.Enabled)
        {
            _bus.RecordPeriodicLateness(PeriodicScheduler.FromTimestampUnits(_time, lateness));
        }

        Interlocked.Increment(ref _served);
        Interlocked.Add(ref _latenessSum, lateness);
        if (lateness > Interlocked.Read(ref _latenessMax))
        {
            Interlocked.Exchange(ref _latenessMax, lateness);
        }
    }

    private static long SaturatingAdd(long a, long b) => b > long.MaxValue - a ? long.MaxValue : a + b;

    private static void CheckDuration(TimeSpan? duration)
    {
        if (duration is { } value && value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), value, "The duration must be positive, or null to run until stopped.");
        }
    }

    /// <summary>python-can's checks: at least one message, all valid, all with one arbitration id and one channel.</summary>
    private static void CheckMessages(ReadOnlySpan<CanMessage> messages, string parameterName)
    {
        if (messages.IsEmpty)
        {
            throw new ArgumentException("A periodic task needs at least one message.", parameterName);
        }

        ref readonly var first = ref messages[0];
        for (var i = 0; i < messages.Length; i++)
        {
            ref readonly var message = ref messages[i];
            var error = message.GetValidationError();
            if (error != CanMessageError.None)
            {
                throw new ArgumentException($"Message {i} is not a valid frame: {CanMessage.Describe(error)}", parameterName);
            }

            if (message.ArbitrationId != first.ArbitrationId || message.IsExtendedId != first.IsExtendedId)
            {
                throw new ArgumentException(
                    $"All messages of a periodic task must have the same arbitration id: message 0 has {FormatId(first.ArbitrationId, first.IsExtendedId)}, message {i} has {FormatId(message.ArbitrationId, message.IsExtendedId)}.",
                    parameterName);
            }

            if (!message.Channel.Equals(first.Channel))
            {
                throw new ArgumentException(
                    $"All messages of a periodic task must have the same channel: message 0 has '{first.Channel}', message {i} has '{message.Channel}'.",
                    parameterName);
            }
        }
    }

    private static string FormatId(uint id, bool extended) => extended ? $"0x{id:X8} (extended)" : $"0x{id:X3}";

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Periodic task for id {ArbitrationId} on {Bus} failed to send and stopped")]
        public static partial void SendFailedStopped(ILogger logger, uint arbitrationId, string bus, Exception exception);

        [LoggerMessage(EventId = 501, Level = LogLevel.Debug, Message = "Periodic task for id {ArbitrationId} on {Bus} failed to send; the error callback chose to continue")]
        public static partial void SendFailedContinuing(ILogger logger, uint arbitrationId, string bus, Exception exception);

        [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Periodic task for id {ArbitrationId} on {Bus} failed to send; the error callback stopped it")]
        public static partial void SendFailedStoppedByCallback(ILogger logger, uint arbitrationId, string bus, Exception exception);

        [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "The error callback of the periodic task for id {ArbitrationId} on {Bus} threw; the task stopped")]
        public static partial void ErrorCallbackFailed(ILogger logger, uint arbitrationId, string bus, Exception exception);
    }
}
