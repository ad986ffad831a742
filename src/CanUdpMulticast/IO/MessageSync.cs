using System.Collections;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.IO;

/// <summary>
/// Replays frames at their recorded pace (python-can's <c>MessageSync</c>): each frame is yielded when as much time
/// has passed since the first one as its timestamp says, minus idle periods longer than
/// <see cref="MessageSyncOptions.Skip"/>; or, with timestamps ignored, one every <see cref="MessageSyncOptions.Gap"/>.
/// Waits run on a <see cref="TimeProvider"/>, so tests drive them with a fake clock.
/// </summary>
/// <remarks>
/// <para>As in python-can, a wait shorter than 0.1 ms is skipped, lateness is never made up by waiting less later
/// (the schedule is absolute), and the frames are yielded unchanged (timestamps keep their recorded values).</para>
/// <para>Enumerate synchronously (blocking waits) or asynchronously (timer-based waits, cancellable); the source is
/// enumerated as the replay goes, so a <see cref="ICanLogReader"/> streams.</para>
/// </remarks>
/// <example>
/// <code>
/// await using var reader = CanLogReader.Open("trace.asc");
/// await foreach (var frame in new MessageSync(reader).WithCancellation(token))
///     await bus.SendAsync(frame, token);
/// </code>
/// </example>
public sealed class MessageSync : IEnumerable<CanMessage>, IAsyncEnumerable<CanMessage>
{
    private static readonly TimeSpan MinimumSleep = TimeSpan.FromTicks(1000);

    private readonly IEnumerable<CanMessage>? _messages;
    private readonly IAsyncEnumerable<CanMessage>? _asyncMessages;
    private readonly MessageSyncOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Replays a sequence of frames.</summary>
    /// <param name="messages">The frames, in recorded order (a log reader, a list, ...).</param>
    /// <param name="options">Pace settings.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> by default.</param>
    public MessageSync(IEnumerable<CanMessage> messages, MessageSyncOptions? options = null, TimeProvider? timeProvider = null)
        : this(messages ?? throw new ArgumentNullException(nameof(messages)), messages as IAsyncEnumerable<CanMessage>, options, timeProvider)
    {
    }

    /// <summary>Replays a log file as it streams (synchronously or asynchronously).</summary>
    /// <param name="reader">The reader; the replay enumerates it once.</param>
    /// <param name="options">Pace settings.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> by default.</param>
    public MessageSync(ICanLogReader reader, MessageSyncOptions? options = null, TimeProvider? timeProvider = null)
        : this((IEnumerable<CanMessage>)reader, options, timeProvider)
    {
    }

    /// <summary>Replays an asynchronous sequence of frames (enumerate it asynchronously only).</summary>
    /// <param name="messages">The frames, in recorded order.</param>
    /// <param name="options">Pace settings.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> by default.</param>
    public MessageSync(IAsyncEnumerable<CanMessage> messages, MessageSyncOptions? options = null, TimeProvider? timeProvider = null)
        : this(messages as IEnumerable<CanMessage>, messages ?? throw new ArgumentNullException(nameof(messages)), options, timeProvider)
    {
    }

    // A source may be both (a log reader is): each enumeration then uses the matching side.
    private MessageSync(IEnumerable<CanMessage>? messages, IAsyncEnumerable<CanMessage>? asyncMessages, MessageSyncOptions? options, TimeProvider? timeProvider)
    {
        _messages = messages;
        _asyncMessages = asyncMessages;
        _options = options ?? MessageSyncOptions.Default;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Enumerates with blocking waits.</summary>
    /// <returns>The frames, each when its time has come.</returns>
    /// <exception cref="NotSupportedException">The source is only asynchronous.</exception>
    public IEnumerator<CanMessage> GetEnumerator()
    {
        var messages = _messages ?? throw new NotSupportedException("This source is asynchronous only; enumerate the MessageSync with await foreach.");
        return Enumerate(messages);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates with timer-based waits.</summary>
    /// <param name="cancellationToken">Cancels waiting and reading.</param>
    /// <returns>The frames, each when its time has come.</returns>
    public IAsyncEnumerator<CanMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _asyncMessages is not null
            ? EnumerateAsync(_asyncMessages, cancellationToken)
            : EnumerateAsync(ToAsync(_messages!, cancellationToken), cancellationToken);

    private IEnumerator<CanMessage> Enumerate(IEnumerable<CanMessage> messages)
    {
        var schedule = new Schedule(_options, _timeProvider);
        foreach (var message in messages)
        {
            var sleep = schedule.Next(message.Timestamp);
            if (sleep > MinimumSleep)
            {
                SleepBlocking(sleep);
            }

            yield return message;
        }
    }

    private async IAsyncEnumerator<CanMessage> EnumerateAsync(IAsyncEnumerable<CanMessage> messages, CancellationToken cancellationToken)
    {
        var schedule = new Schedule(_options, _timeProvider);
        await foreach (var message in messages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var sleep = schedule.Next(message.Timestamp);
            if (sleep > MinimumSleep)
            {
                await Task.Delay(sleep, _timeProvider, cancellationToken).ConfigureAwait(false);
            }

            yield return message;
        }
    }

    private static async IAsyncEnumerable<CanMessage> ToAsync(IEnumerable<CanMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return message;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private void SleepBlocking(TimeSpan duration)
    {
        using var done = new ManualResetEventSlim(false);
        using var timer = _timeProvider.CreateTimer(static state => ((ManualResetEventSlim)state!).Set(), done, duration, Timeout.InfiniteTimeSpan);
        done.Wait();
    }

    // python-can's arithmetic: the wake-up time of each frame on the playback clock, idle periods beyond Skip removed.
    private sealed class Schedule
    {
        private readonly MessageSyncOptions _options;
        private readonly TimeProvider _clock;
        private readonly long _playbackStart;
        private double? _recordedStart;
        private double _skipped;
        private double _wakeup;

        public Schedule(MessageSyncOptions options, TimeProvider clock)
        {
            _options = options;
            _clock = clock;
            _playbackStart = clock.GetTimestamp();
        }

        public TimeSpan Next(double timestamp)
        {
            if (_options.UseTimestamps)
            {
                _recordedStart ??= timestamp;
                _wakeup = timestamp - _skipped - _recordedStart.Value;
            }
            else
            {
                _wakeup += _options.Gap.TotalSeconds;
            }

            var sleep = _wakeup - _clock.GetElapsedTime(_playbackStart).TotalSeconds;
            var skip = _options.Skip?.TotalSeconds ?? 0;
            if (skip > 0 && sleep > skip)
            {
                _skipped += sleep - skip;
                sleep = skip;
            }

            return sleep > 0 && double.IsFinite(sleep) ? TimeSpan.FromSeconds(sleep) : TimeSpan.Zero;
        }
    }
}
