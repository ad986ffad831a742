using System.Diagnostics;

namespace CanUdpMulticast.Notifications;

/// <summary>
/// A listener that queues the frames it gets, for a thread that takes them with <see cref="GetMessage(TimeSpan?)"/>
/// (python-can's <c>BufferedReader</c>).
/// </summary>
/// <remarks>After <see cref="Stop"/> the reader never blocks: it hands out what is queued, then returns
/// <see langword="null"/>, and a new frame makes <see cref="OnMessageReceived"/> throw, as in python-can.</remarks>
public sealed class BufferedReader : ICanListener, IDisposable
{
    /// <summary>python-can's default wait of <c>get_message</c>: 0.5 s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(0.5);

    private readonly CanFrameQueue _queue;
    private long _dropped;

    /// <summary>Creates a reader.</summary>
    /// <param name="capacity">The most frames it holds; 0 (the default) for no limit.</param>
    /// <param name="fullMode">What a full reader does with a new frame. <see cref="QueueFullMode.Wait"/> blocks the
    /// notifier (and so every listener) until there is room.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public BufferedReader(int capacity = 0, QueueFullMode fullMode = QueueFullMode.DropNewest)
    {
        _queue = new CanFrameQueue(capacity, fullMode);
    }

    /// <summary>The number of queued frames.</summary>
    public int Count => _queue.Count;

    /// <summary>Frames lost because the reader was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Whether <see cref="Stop"/> was called.</summary>
    public bool IsStopped => _queue.IsCompleted;

    /// <summary>Queues a frame.</summary>
    /// <param name="message">The frame.</param>
    /// <exception cref="InvalidOperationException">The reader has been stopped.</exception>
    public void OnMessageReceived(in CanMessage message)
    {
        switch (_queue.Write(message, Timeout.InfiniteTimeSpan))
        {
            case CanFrameQueueWriteResult.Closed:
                throw new InvalidOperationException("The reader has already been stopped.");
            case CanFrameQueueWriteResult.Dropped or CanFrameQueueWriteResult.WrittenAfterDroppingOldest:
                Interlocked.Increment(ref _dropped);
                break;
        }
    }

    /// <summary>Takes the oldest frame, waiting up to <see cref="DefaultTimeout"/>.</summary>
    /// <returns>The frame, or <see langword="null"/> when none came in time (or the reader is stopped and empty).</returns>
    public CanMessage? GetMessage() => GetMessage(DefaultTimeout);

    /// <summary>Takes the oldest frame, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> polls, <see langword="null"/> waits until a frame comes or the reader stops.</param>
    /// <returns>The frame, or <see langword="null"/> when none came in time (or the reader is stopped and empty).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public CanMessage? GetMessage(TimeSpan? timeout) => TryGetMessage(out var message, timeout) ? message : null;

    /// <summary>Takes the oldest frame if there is one, without waiting.</summary>
    /// <param name="message">The frame.</param>
    /// <returns>Whether a frame was taken.</returns>
    public bool TryGetMessage(out CanMessage message) => _queue.TryRead(out message);

    /// <summary>Takes the oldest frame, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> polls, <see langword="null"/> waits until a frame comes or the reader stops.</param>
    /// <returns>Whether a frame was taken.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>, which waits too).</exception>
    public bool TryGetMessage(out CanMessage message, TimeSpan? timeout)
    {
        var wait = timeout ?? Timeout.InfiniteTimeSpan;
        var infinite = wait == Timeout.InfiniteTimeSpan;
        if (!infinite)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero, nameof(timeout));
        }

        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            if (_queue.TryRead(out message))
            {
                return true;
            }

            var remaining = infinite ? Timeout.InfiniteTimeSpan : wait - Stopwatch.GetElapsedTime(start);
            if ((!infinite && remaining <= TimeSpan.Zero) || (!_queue.Wait(remaining) && _queue.IsCompleted))
            {
                return _queue.TryRead(out message);
            }
        }
    }

    /// <summary>Stops the reader: waiting readers wake, later frames are refused. Queued frames can still be taken.</summary>
    public void Stop() => _queue.Complete();

    /// <summary>Stops the reader.</summary>
    public void Dispose() => Stop();
}
