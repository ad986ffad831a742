using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Notifications;

/// <summary>
/// A listener that queues the frames it gets for asynchronous consumers: <c>await reader.GetMessageAsync()</c> or
/// <c>await foreach (var frame in reader)</c> (python-can's <c>AsyncBufferedReader</c>).
/// </summary>
/// <remarks>After <see cref="Stop"/> new frames are ignored (as in python-can); the enumeration hands out what is
/// queued and then ends.</remarks>
public sealed class AsyncBufferedReader : ICanListener, IAsyncEnumerable<CanMessage>, IDisposable
{
    private readonly CanFrameQueue _queue;
    private long _dropped;

    /// <summary>Creates a reader.</summary>
    /// <param name="capacity">The most frames it holds; 0 (the default) for no limit.</param>
    /// <param name="fullMode">What a full reader does with a new frame. <see cref="QueueFullMode.Wait"/> blocks the
    /// notifier (and so every listener) until there is room.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public AsyncBufferedReader(int capacity = 0, QueueFullMode fullMode = QueueFullMode.DropNewest)
    {
        _queue = new CanFrameQueue(capacity, fullMode);
    }

    /// <summary>The number of queued frames.</summary>
    public int Count => _queue.Count;

    /// <summary>Frames lost because the reader was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Whether <see cref="Stop"/> was called.</summary>
    public bool IsStopped => _queue.IsCompleted;

    /// <summary>Queues a frame; ignored after <see cref="Stop"/>.</summary>
    /// <param name="message">The frame.</param>
    public void OnMessageReceived(in CanMessage message)
    {
        if (_queue.Write(message, Timeout.InfiniteTimeSpan) is CanFrameQueueWriteResult.Dropped or CanFrameQueueWriteResult.WrittenAfterDroppingOldest)
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Takes the oldest frame if there is one, without waiting.</summary>
    /// <param name="message">The frame.</param>
    /// <returns>Whether a frame was taken.</returns>
    public bool TryGetMessage(out CanMessage message) => _queue.TryRead(out message);

    /// <summary>Waits for the next frame.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The oldest queued frame.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The reader is stopped and empty.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CanMessage> GetMessageAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_queue.TryRead(out var message))
            {
                return message;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!await _queue.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_queue.TryRead(out message))
                {
                    return message;
                }

                throw new InvalidOperationException("The reader is stopped and has no more frames.");
            }
        }
    }

    /// <summary>Every frame, as it comes; ends when the reader is stopped and empty.</summary>
    /// <param name="cancellationToken">Ends the enumeration with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The frames.</returns>
    public async IAsyncEnumerable<CanMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            while (_queue.TryRead(out var message))
            {
                yield return message;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!await _queue.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_queue.TryRead(out var message))
                {
                    yield return message;
                }

                yield break;
            }
        }
    }

    /// <inheritdoc/>
    public IAsyncEnumerator<CanMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>Stops the reader: later frames are ignored, waiting consumers get what is queued and then the end.</summary>
    public void Stop() => _queue.Complete();

    /// <summary>Stops the reader.</summary>
    public void Dispose() => Stop();
}
