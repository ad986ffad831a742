using System.Threading.Tasks.Sources;

namespace CanUdpMulticast;

/// <summary>What a bounded receive queue does with a new frame when it is full.</summary>
public enum QueueFullMode
{
    /// <summary>The new frame is dropped and counted; the sender never waits (the default: a slow reader cannot stall the bus).</summary>
    DropNewest,

    /// <summary>The oldest queued frame is dropped and counted to make room.</summary>
    DropOldest,

    /// <summary>The sender waits for room up to its send timeout (python-can 4.1's virtual bus behaviour).</summary>
    Wait,
}

/// <summary>The result of <see cref="CanFrameQueue.Write"/>.</summary>
public enum CanFrameQueueWriteResult
{
    /// <summary>The frame was queued.</summary>
    Written,

    /// <summary>The frame was queued after the oldest one was dropped to make room (<see cref="QueueFullMode.DropOldest"/>).</summary>
    WrittenAfterDroppingOldest,

    /// <summary>The queue was full and the frame was dropped (<see cref="QueueFullMode.DropNewest"/>).</summary>
    Dropped,

    /// <summary>No room became free within the timeout (<see cref="QueueFullMode.Wait"/>); the frame was not queued.</summary>
    TimedOut,

    /// <summary>The queue was completed; the frame was not queued.</summary>
    Closed,
}

/// <summary>
/// A thread-safe FIFO of frames with blocking and allocation-free asynchronous waits: the receive queue of a backend
/// that is fed by another thread or a push client (the virtual bus uses it). A backend's
/// <c>ReceiveFrame</c> is <see cref="TryRead(out CanMessage, TimeSpan)"/> and its <c>ReceiveFrameAsync</c> is
/// <see cref="ReadAsync"/>; <see cref="Complete"/> (from the bus's dispose) wakes every waiter for good.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the name says what it does.")]
public sealed partial class CanFrameQueue
{
    private const int InitialSize = 64;
    private static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly object _gate = new();
    private readonly int _capacity;
    private readonly QueueFullMode _fullMode;
    private readonly Stack<AsyncWaiter> _waiterPool = new();
    private CanMessage[] _items;
    private int _head;
    private int _count;
    private bool _completed;
    private int _blockedReaders;
    private int _blockedWriters;
    private AsyncWaiter? _asyncWaiters;

    /// <summary>Creates a queue.</summary>
    /// <param name="capacity">The most frames it holds; 0 means unbounded.</param>
    /// <param name="fullMode">What happens when a bounded queue is full.</param>
    public CanFrameQueue(int capacity = 0, QueueFullMode fullMode = QueueFullMode.DropNewest)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _fullMode = fullMode;
        _items = new CanMessage[capacity is > 0 and < InitialSize ? capacity : InitialSize];
    }

    /// <summary>The number of queued frames.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Whether <see cref="Complete"/> was called.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed);

    /// <summary>Adds a frame, applying the full-queue policy.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="timeout">With <see cref="QueueFullMode.Wait"/>: how long to wait for room.</param>
    /// <returns>What happened.</returns>
    public CanFrameQueueWriteResult Write(in CanMessage message, TimeSpan timeout)
    {
        AsyncWaiter? toWake;
        var result = CanFrameQueueWriteResult.Written;
        lock (_gate)
        {
            if (_completed)
            {
                return CanFrameQueueWriteResult.Closed;
            }

            if (_capacity > 0 && _count >= _capacity)
            {
                switch (_fullMode)
                {
                    case QueueFullMode.DropNewest:
                        return CanFrameQueueWriteResult.Dropped;
                    case QueueFullMode.DropOldest:
                        _items[_head] = default;
                        _head = (_head + 1) % _items.Length;
                        _count--;
                        result = CanFrameQueueWriteResult.WrittenAfterDroppingOldest;
                        break;
                    default:
                        if (!WaitForRoom(timeout))
                        {
                            return _completed ? CanFrameQueueWriteResult.Closed : CanFrameQueueWriteResult.TimedOut;
                        }

                        break;
                }
            }

            if (_count == _items.Length)
            {
                Grow();
            }

            _items[(_head + _count) % _items.Length] = message;
            _count++;
            if (_blockedReaders > 0)
            {
                if (_blockedWriters > 0)
                {
                    Monitor.PulseAll(_gate);
                }
                else
                {
                    Monitor.Pulse(_gate);
                }
            }

            toWake = _asyncWaiters;
            _asyncWaiters = null;
        }

        WakeAll(toWake, result: true);
        return result;
    }

    /// <summary>Takes the oldest frame if there is one.</summary>
    /// <param name="message">The frame.</param>
    /// <returns>Whether a frame was taken.</returns>
    public bool TryRead(out CanMessage message)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                message = default;
                return false;
            }

            TakeLocked(out message);
            return true;
        }
    }

    /// <summary>Takes the oldest frame, waiting up to <paramref name="timeout"/> for one.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="timeout">The longest wait: <see cref="TimeSpan.Zero"/> polls, <see cref="Timeout.InfiniteTimeSpan"/>
    /// waits until a frame is queued or the queue completes.</param>
    /// <returns>Whether a frame was taken; <see langword="false"/> on timeout or when the queue is completed and empty.</returns>
    public bool TryRead(out CanMessage message, TimeSpan timeout)
    {
        var infinite = timeout == Timeout.InfiniteTimeSpan;
        var start = infinite || timeout == TimeSpan.Zero ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
        lock (_gate)
        {
            while (_count == 0)
            {
                var remaining = infinite ? MaxWait : timeout - System.Diagnostics.Stopwatch.GetElapsedTime(start);
                if (_completed || remaining <= TimeSpan.Zero)
                {
                    message = default;
                    return false;
                }

                _blockedReaders++;
                try
                {
                    Monitor.Wait(_gate, remaining > MaxWait ? MaxWait : remaining);
                }
                finally
                {
                    _blockedReaders--;
                }
            }

            TakeLocked(out message);
            return true;
        }
    }

    /// <summary>Takes the oldest frame, waiting asynchronously until one is queued.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The frame; <see langword="null"/> when the queue is completed and empty. Completes synchronously
    /// and without allocating when a frame is already queued.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<CanMessage?> ReadAsync(CancellationToken cancellationToken = default) =>
        TryRead(out var message) ? new ValueTask<CanMessage?>(message) : ReadWhenQueuedAsync(cancellationToken);

    /// <summary>Blocks until a frame is queued, the queue completes, or the timeout elapses.</summary>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <returns>Whether a frame is queued.</returns>
    public bool Wait(TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_count > 0)
            {
                return true;
            }

            if (_completed)
            {
                return false;
            }

            _blockedReaders++;
            try
            {
                // Monitor.Wait rejects more than int.MaxValue ms; a shorter wait is a spurious return the caller handles.
                Monitor.Wait(_gate, timeout > MaxWait ? MaxWait : timeout);
            }
            finally
            {
                _blockedReaders--;
            }

            return _count > 0;
        }
    }

    /// <summary>Waits asynchronously until a frame is queued or the queue completes.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when a frame may be queued; <see langword="false"/> when completed.</returns>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        AsyncWaiter waiter;
        lock (_gate)
        {
            if (_count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<bool>(cancellationToken);
            }

            waiter = _waiterPool.Count > 0 ? _waiterPool.Pop() : new AsyncWaiter(this);
            waiter.Next = _asyncWaiters;
            _asyncWaiters = waiter;
        }

        return waiter.Arm(cancellationToken);
    }

    /// <summary>Closes the queue for writers and wakes every waiter; queued frames can still be read.</summary>
    public void Complete()
    {
        AsyncWaiter? toWake;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            Monitor.PulseAll(_gate);
            toWake = _asyncWaiters;
            _asyncWaiters = null;
        }

        WakeAll(toWake, result: false);
    }

    private void TakeLocked(out CanMessage message)
    {
        message = _items[_head];
        _items[_head] = default;
        _head = (_head + 1) % _items.Length;
        _count--;
        if (_blockedWriters > 0)
        {
            Monitor.PulseAll(_gate);
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CanMessage?> ReadWhenQueuedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var queued = await WaitAsync(cancellationToken).ConfigureAwait(false);
            if (TryRead(out var message))
            {
                return message;
            }

            if (!queued && IsCompleted)
            {
                return null;
            }
        }
    }

    private bool WaitForRoom(TimeSpan timeout)
    {
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        _blockedWriters++;
        try
        {
            while (_count >= _capacity && !_completed)
            {
                var left = deadline == long.MaxValue ? Timeout.Infinite : deadline - Environment.TickCount64;
                if (left != Timeout.Infinite && left <= 0)
                {
                    return false;
                }

                Monitor.Wait(_gate, (int)Math.Min(left, int.MaxValue));
            }

            return !_completed;
        }
        finally
        {
            _blockedWriters--;
        }
    }

    private void Grow()
    {
        var larger = new CanMessage[_items.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _items[(_head + i) % _items.Length];
        }

        _items = larger;
        _head = 0;
    }

    private static void WakeAll(AsyncWaiter? waiter, bool result)
    {
        while (waiter is not null)
        {
            var next = waiter.Next;
            waiter.Next = null;
            waiter.TryComplete(result);
            waiter = next;
        }
    }

    private void Unlink(AsyncWaiter waiter)
    {
        lock (_gate)
        {
            if (_asyncWaiters == waiter)
            {
                _asyncWaiters = waiter.Next;
                waiter.Next = null;
                return;
            }

            for (var node = _asyncWaiters; node is not null; node = node.Next)
            {
                if (node.Next == waiter)
                {
                    node.Next = waiter.Next;
                    waiter.Next = null;
                    return;
                }
            }

            // Not in the list: a wake-up has taken the list and may still be walking it, through this waiter's
            // Next link to the waiters behind it. Clearing the link would lose their wake-up; leave it.
        }
    }

    private void Return(AsyncWaiter waiter)
    {
        lock (_gate)
        {
            if (_waiterPool.Count < 16)
            {
                _waiterPool.Push(waiter);
            }
        }
    }
}
