using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// The receive side of a <see cref="UdpMulticastBus"/>: waits up to a timeout for datagrams, takes them from the socket
/// and hands each frame to exactly one caller. It runs on the callers' threads (it starts none).
/// </summary>
/// <remarks>
/// <para>A datagram's way: the transport puts it into a slot of <see cref="_batch"/> (Linux: <c>recvmmsg</c>, up to 64
/// per call, with the kernel's timestamp); <see cref="TakeLocked"/> hands the slots out in order;
/// <see cref="DatagramDecoder"/> turns each into a frame or counts why not; <see cref="CanBus"/> then filters and counts it.</para>
/// <para>The rules that give the guarantees, all under one lock (<see cref="_gate"/>):</para>
/// <list type="bullet">
/// <item>One reader: only one thread at a time calls the transport. A thread that must wait for the socket becomes the
/// reader (<see cref="_reading"/>) and waits in the kernel outside the lock; others that must wait sleep on the lock's
/// monitor until it is done. No spinning, and datagrams leave the socket in arrival order.</item>
/// <item>The batch is refilled only when it is empty, so a frame a thread takes later arrived later (order per thread),
/// and each slot is handed out once (each frame to exactly one caller).</item>
/// <item>An asynchronous receive sleeps on the socket's readiness (<see cref="IMulticastTransport.WaitReadableAsync"/>);
/// while one does, a read takes one datagram only, so no frame waits in the batch while it sleeps. When a reader is
/// active it waits for that reader to finish instead.</item>
/// <item><see cref="Close"/> wakes everyone: the reader through the transport's shutdown, the sleepers through the
/// monitor, asynchronous receives through readiness (end-of-file) and the reader-done signal.</item>
/// </list>
/// </remarks>
internal sealed partial class DatagramReceiver
{
    // A waiting recvmmsg (MSG_WAITFORONE) that returns a lone datagram has also found the socket empty, a wasted attempt
    // recvfrom does not make: then single-frame waiting reads ask for one, and every 16th for a full batch again.
    private const int SingleProbeInterval = 16;

    private readonly IMulticastTransport _transport;
    private readonly DatagramDecoder _decoder;
    private readonly DatagramBatch _batch;
    private readonly UdpMulticastCounters _counters;
    private readonly KernelDropAccount _drops; // guarded by _gate
    private readonly MulticastEndpoint _endpoint;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _errorLog = new(LogRateLimiter.DefaultInterval);
    private readonly object _gate = new();

    // Everything below is guarded by _gate.
    private int _next;                 // the next slot of _batch to hand out
    private int _count;                // the slots the last read filled
    private bool _reading;             // a thread waits in the socket outside the lock
    private int _sleepers;             // threads sleeping on the monitor until the reader is done
    private int _asyncWaiters;         // asynchronous receives sleeping on the socket's readiness
    private TaskCompletionSource? _readerDone; // asynchronous receives waiting for the reader (rare: sync and async mixed)
    private bool _lastReadDrained;     // the last read returned fewer datagrams than asked for: the socket was empty then
    private int _singleReads;          // waiting reads since the last one that returned a lone datagram; 0: batching (see SingleProbeInterval)

    /// <summary>Creates the receiver of one bus.</summary>
    /// <param name="transport">The sockets.</param>
    /// <param name="decoder">Turns datagrams into frames.</param>
    /// <param name="counters">Datagram counters.</param>
    /// <param name="countDropped">Counts kernel drops in the bus's statistics (the one place they are counted).</param>
    /// <param name="endpoint">For log messages.</param>
    /// <param name="logger">Where to log.</param>
    public DatagramReceiver(IMulticastTransport transport, DatagramDecoder decoder, UdpMulticastCounters counters, Action<long> countDropped,
        MulticastEndpoint endpoint, ILogger logger)
    {
        _transport = transport;
        _decoder = decoder;
        _counters = counters;
        _drops = new KernelDropAccount(transport, countDropped, logger);
        _endpoint = endpoint;
        _logger = logger;
        _batch = new DatagramBatch(transport.BatchCapacity);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for a frame and takes it.</summary>
    /// <param name="message">The frame, when the result is <see langword="true"/>.</param>
    /// <param name="timeout">The longest wait: zero takes only what is there; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <param name="forBatch">The caller takes what else is there right after (<c>ReceiveBatch</c>): a waiting read always
    /// asks for a full batch. A single-frame caller lets lone datagrams switch reads to one datagram (see <see cref="SingleProbeInterval"/>).</param>
    /// <returns>Whether a frame was taken; <see langword="false"/> on timeout or when closed, and possibly early: after one
    /// wait that brought no frame for the application (only own echoes, or another thread's read) it returns and the
    /// caller, which keeps the deadline (<see cref="CanBus"/>), looks again with the time left. So a frame that is
    /// already there costs no clock read here.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Receive(out CanMessage message, TimeSpan timeout, bool forBatch = false)
    {
        lock (_gate)
        {
            // Only a poll reads without waiting first; a waiting receive goes straight to the waiting read, which returns at
            // once with whatever is queued (one system call either way).
            var drained = timeout != TimeSpan.Zero;
            if (TakeLocked(out message, ref drained))
            {
                return true;
            }

            if (timeout == TimeSpan.Zero || _transport.IsClosed)
            {
                message = default;
                return false;
            }

            if (_reading)
            {
                _sleepers++;
                try
                {
                    Monitor.Wait(_gate, timeout);
                }
                finally
                {
                    _sleepers--;
                }
            }
            else
            {
                ReadWaitingLocked(timeout, forBatch);
            }

            drained = true;
            return TakeLocked(out message, ref drained);
        }
    }

    /// <summary>Takes the next frame only if one is already in the batch: no system call, no clock read.</summary>
    /// <param name="message">The frame, when the result is <see langword="true"/>.</param>
    /// <returns>Whether a frame was taken.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TakeBuffered(out CanMessage message)
    {
        // An unlocked look first (a stale answer only sends the caller the normal way): a receive that must wait anyway
        // does not take the lock twice.
        if (Volatile.Read(ref _next) >= Volatile.Read(ref _count))
        {
            message = default;
            return false;
        }

        lock (_gate)
        {
            var drained = true;
            return TakeLocked(out message, ref drained);
        }
    }

    /// <summary>Takes up to <c>destination.Length</c> frames that are already there, without waiting.</summary>
    /// <param name="destination">Where to put them.</param>
    /// <returns>The number taken.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int TakeAvailable(Span<CanMessage> destination)
    {
        var count = 0;
        lock (_gate)
        {
            // Only what is already there: no second system call when the last read found the socket empty.
            var drained = _lastReadDrained;
            while (count < destination.Length && TakeLocked(out destination[count], ref drained))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Waits asynchronously for a frame and takes it; completes synchronously when one is already there.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The frame; <see langword="null"/> when closed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask<CanMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var drained = false;
            if (TakeLocked(out var message, ref drained))
            {
                return new ValueTask<CanMessage?>(message);
            }

            if (_transport.IsClosed)
            {
                return new ValueTask<CanMessage?>((CanMessage?)null);
            }
        }

        return WaitAndReceiveStateMachine.Run(this, cancellationToken);
    }

    /// <summary>Accounts the kernel's drops now, even when no datagram arrived since they happened (one system call on Linux).</summary>
    /// <returns>The kernel drops counted so far.</returns>
    public long RefreshKernelDrops()
    {
        var known = _transport.TryReadKernelDropCounter(out var cumulative);
        lock (_gate)
        {
            if (known)
            {
                _drops.Account(cumulative);
            }

            return _drops.Total;
        }
    }

    /// <summary>Stops receiving for good and wakes every waiting receive.</summary>
    public void Close()
    {
        _transport.Close();
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
            _readerDone?.TrySetResult();
            _readerDone = null;
        }
    }

    /// <summary>
    /// One look of an asynchronous receive, under the lock: takes a frame, or says what to wait for (registering the
    /// wait on the socket's readiness, which <see cref="ReadableWaitEnded"/> undoes).
    /// </summary>
    /// <param name="message">The frame, for <see cref="AsyncLook.Frame"/>.</param>
    /// <param name="drained">Whether the socket was found empty since the last wait (no second read then).</param>
    /// <param name="readerDone">Completes when the active reader is done, for <see cref="AsyncLook.WaitForReader"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private AsyncLook LookForAsyncReceive(out CanMessage message, ref bool drained, out Task? readerDone)
    {
        readerDone = null;
        lock (_gate)
        {
            if (TakeLocked(out message, ref drained))
            {
                return AsyncLook.Frame;
            }

            if (_transport.IsClosed)
            {
                return AsyncLook.Closed;
            }

            if (_reading)
            {
                // A synchronous reader may leave frames in the batch that the socket's readiness would never report.
                readerDone = (_readerDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                return AsyncLook.WaitForReader;
            }

            _asyncWaiters++;
            return AsyncLook.WaitForReadable;
        }
    }

    /// <summary>An asynchronous receive no longer sleeps on the socket's readiness.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadableWaitEnded()
    {
        lock (_gate)
        {
            _asyncWaiters--;
        }
    }

    /// <summary>
    /// Hands out the next datagram of the batch that is a frame for the application, refilling the batch from the socket
    /// (without waiting) when it is empty, unless a reader is active or an earlier refill found the socket empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TakeLocked(out CanMessage message, ref bool drained)
    {
        while (true)
        {
            while (_next < _count)
            {
                if (_decoder.TryDecode(_batch, _next++, out message))
                {
                    return true;
                }
            }

            if (drained || _reading)
            {
                message = default;
                return false;
            }

            var requested = _asyncWaiters > 0 ? 1 : _batch.Capacity;
            var received = Publish(requested, ReadTransport(requested, waiting: false, TimeSpan.Zero));
            drained = received < requested;
            if (received == 0)
            {
                message = default;
                return false;
            }
        }
    }

    /// <summary>Becomes the reader: waits in the socket outside the lock, then puts what came in the batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadWaitingLocked(TimeSpan timeout, bool forBatch)
    {
        // Asynchronous receives sleeping on readiness would not see frames left in the batch: take one for them. A batch
        // caller always asks for a batch and leaves the single-frame callers' mode alone.
        var adaptive = _asyncWaiters == 0 && !forBatch;
        var requested = _asyncWaiters > 0 ? 1 : forBatch || _singleReads % SingleProbeInterval == 0 ? _batch.Capacity : 1;
        var received = 0;
        _reading = true;
        Monitor.Exit(_gate);
        try
        {
            // Outside the lock only the reader touches the batch: it is empty, and nobody refills it while _reading is set.
            received = ReadTransport(requested, waiting: true, timeout);
        }
        finally
        {
            Monitor.Enter(_gate);
            _reading = false;
            if (_sleepers > 0)
            {
                Monitor.PulseAll(_gate);
            }

            if (_readerDone is { } done)
            {
                _readerDone = null;
                done.TrySetResult();
            }
        }

        if (adaptive && received > 0)
        {
            // A lone datagram starts (or continues) single mode; a probe that brought more goes back to batching.
            _singleReads = received > 1 ? 0 : requested > 1 ? 1 : _singleReads + 1;
        }

        Publish(requested, received);
    }

    /// <summary>One read of the transport into the (empty) batch. A socket closed under the call is "nothing", never an error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadTransport(int requested, bool waiting, TimeSpan timeout)
    {
        try
        {
            return waiting ? _transport.ReceiveWaiting(_batch, requested, timeout) : _transport.ReceiveQueued(_batch, requested);
        }
        catch (Exception ex) when (_transport.IsClosed && ex is not OutOfMemoryException)
        {
            return 0;
        }
        catch (CanOperationException ex)
        {
            ReceiveFailed(ex);
            throw;
        }
    }

    /// <summary>Makes the datagrams just read the pending ones (under the lock).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Publish(int requested, int received)
    {
        _next = 0;
        _count = received;
        _lastReadDrained = received < requested;
        if (received > 0)
        {
            Admit(received);
        }

        return received;
    }

    /// <summary>Stamps (without kernel timestamps) and counts the datagrams just read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Admit(int count)
    {
        if (!_transport.KernelTimestamps)
        {
            // No kernel receive time: the moment the datagrams were taken from the socket.
            var now = CanClock.Now();
            for (var i = 0; i < count; i++)
            {
                _batch[i].Timestamp = now;
            }
        }

        _counters.AddDatagrams(count);
        _drops.Poll(_batch[count - 1].Timestamp);
    }

    /// <summary>Counts and logs (rate-limited) a failed receive before it is thrown to the caller.</summary>
    private void ReceiveFailed(CanOperationException ex)
    {
        _counters.AddReceiveError();
        if (_errorLog.TryAcquire(out var suppressed))
        {
            UdpMulticastLog.ReceiveFailed(_logger, _endpoint.GroupText, _endpoint.Port, suppressed, ex);
        }
    }
}
