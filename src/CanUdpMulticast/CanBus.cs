using System.Runtime.CompilerServices;
using CanUdpMulticast.Diagnostics;

namespace CanUdpMulticast;

/// <summary>
/// A CAN bus: the abstraction every backend implements (python-can's <c>BusABC</c>).
/// </summary>
/// <remarks>
/// <para>The base class owns filtering, timeout arithmetic, validation, statistics and disposal; a backend
/// implements a small core: one primitive that waits up to a timeout and takes one frame
/// (<see cref="ReceiveFrame"/>, python-can's <c>_recv_internal</c>), its asynchronous twin
/// (<see cref="ReceiveFrameAsync"/>), and <see cref="SendFrame"/>. Batch forms (<see cref="ReceiveFrames"/>,
/// <see cref="SendFrames"/>) are optional. The same contract fits a backend that blocks in a system call, one that
/// polls a queue and one fed by a push client.</para>
/// <para>Thread safety: any number of threads may call <c>Send</c>/<c>SendAsync</c> concurrently, and any number
/// of receivers may run concurrently with them; each received frame goes to exactly one receive call.
/// <see cref="SetFilters"/> may be called at any time.</para>
/// <para>Timeouts (one convention across the library's public API): a <c>TimeSpan? timeout</c> of <see langword="null"/>
/// waits forever (so does <see cref="Timeout.InfiniteTimeSpan"/>), <see cref="TimeSpan.Zero"/> polls; an overload without
/// a timeout documents its fixed default. The protected backend core takes a plain <see cref="TimeSpan"/> where
/// <see cref="Timeout.InfiniteTimeSpan"/> means forever, as .NET's waits do. Unlike python-can, a
/// frame rejected by the filters never makes a short timeout return empty while a matching frame is queued.</para>
/// <para>Disposal is idempotent; it stops periodic tasks and wakes blocked receivers at once:
/// <see cref="Receive"/>, <see cref="TryReceive(out CanMessage, TimeSpan?)"/> and <see cref="ReceiveAsync"/> then
/// throw <see cref="ObjectDisposedException"/>, while <see cref="ReadAllAsync"/> simply ends. Any later call throws
/// <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public abstract partial class CanBus : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan MaxSingleWait = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly CanBusCounters _counters = new();
    private CanFilter[] _filters = [];
    private bool _filtersAppliedByBackend;
    private int _disposed;

    /// <summary>A description of the channel, e.g. <c>"Virtual bus channel vcan0"</c>.</summary>
    public virtual string ChannelInfo => "unknown";

    /// <summary>The bus state; <see cref="CanBusState.Active"/> unless the backend knows better.</summary>
    public virtual CanBusState State => CanBusState.Active;

    /// <summary>The protocol the bus speaks.</summary>
    public virtual CanProtocol Protocol => CanProtocol.Can20;

    /// <summary>The counters since the bus was opened.</summary>
    public CanBusStatistics Statistics
    {
        get
        {
            if (!IsDisposed)
            {
                OnStatisticsRead();
            }

            return _counters.Snapshot();
        }
    }

    /// <summary>Whether the bus has been disposed.</summary>
    /// <remarks>Fully optimised from its first call: <see cref="ReadAllAsync"/>'s state machine calls it per frame, and
    /// tiering recompiled it mid-stream (seen in the harness's JIT probe).</remarks>
    public bool IsDisposed
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get => Volatile.Read(ref _disposed) != 0;
    }

    /// <summary>
    /// Called when <see cref="Statistics"/> is read, before the snapshot is taken: a backend whose loss counts are only
    /// reported now and then (e.g. a socket's drop counter) brings them up to date here. Keep it cheap; the default does nothing.
    /// </summary>
    protected virtual void OnStatisticsRead()
    {
    }

    /// <summary>Counts frames the backend lost (a full queue, the kernel's receive buffer, a gap in a sequence).</summary>
    /// <param name="count">How many.</param>
    protected void CountDropped(long count = 1) => _counters.AddDropped(count);

    /// <summary>Counts received data the backend could not turn into a valid frame and dropped.</summary>
    /// <param name="count">How many.</param>
    protected void CountMalformed(long count = 1) => _counters.AddMalformed(count);

    /// <summary>The active filters (empty: every frame passes).</summary>
    public IReadOnlyList<CanFilter> Filters => Volatile.Read(ref _filters);

    /// <summary>
    /// Replaces the acceptance filters. A frame passes when any filter matches it; <see langword="null"/> or
    /// empty passes everything.
    /// </summary>
    /// <param name="filters">The filters.</param>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    public void SetFilters(IEnumerable<CanFilter>? filters)
    {
        ThrowIfDisposed();
        var array = filters?.ToArray() ?? [];
        _filtersAppliedByBackend = ApplyFilters(array);
        Volatile.Write(ref _filters, array);
    }

    /// <summary>Sends one frame.</summary>
    /// <param name="message">The frame; it is validated with python-can's rules first.</param>
    /// <param name="timeout">How long to wait for room to send; <see langword="null"/> waits forever.</param>
    /// <exception cref="ArgumentException">The frame is not valid (see <see cref="CanMessage.Validate"/>).</exception>
    /// <exception cref="CanOperationException">The backend could not send it.</exception>
    /// <exception cref="CanTimeoutException">It could not be sent within <paramref name="timeout"/>.</exception>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Send(in CanMessage message, TimeSpan? timeout = null)
    {
        ThrowIfDisposed();
        message.Validate();
        SendFrame(message, ToWait(timeout));
        _counters.AddSent();
    }

    /// <summary>Sends one frame asynchronously.</summary>
    /// <param name="message">The frame; it is validated with python-can's rules first.</param>
    /// <param name="cancellationToken">Cancels waiting for room to send.</param>
    /// <returns>A task that completes when the frame is handed to the backend.</returns>
    /// <exception cref="ArgumentException">The frame is not valid.</exception>
    /// <exception cref="CanOperationException">The backend could not send it.</exception>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask SendAsync(CanMessage message, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        message.Validate();
        var pending = SendFrameAsync(message, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
            _counters.AddSent();
            return default;
        }

        return AwaitSendStateMachine.Run(this, pending);
    }

    /// <summary>Sends several frames in one call (one system call for many frames where the backend can).</summary>
    /// <param name="messages">The frames; all are validated before any is sent.</param>
    /// <param name="timeout">How long to wait for room to send; <see langword="null"/> waits forever.</param>
    /// <returns>The number of frames sent (all of them unless the backend reports a partial send).</returns>
    /// <exception cref="ArgumentException">A frame is not valid; nothing was sent.</exception>
    /// <exception cref="CanOperationException">The backend could not send.</exception>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int SendBatch(ReadOnlySpan<CanMessage> messages, TimeSpan? timeout = null)
    {
        ThrowIfDisposed();
        foreach (ref readonly var message in messages)
        {
            message.Validate();
        }

        var sent = messages.IsEmpty ? 0 : SendFrames(messages, ToWait(timeout));
        _counters.AddSent(sent);
        return sent;
    }

    /// <summary>Receives one frame that passes the filters.</summary>
    /// <param name="timeout">How long to wait; <see langword="null"/> waits forever, <see cref="TimeSpan.Zero"/> polls.</param>
    /// <returns>The frame, or <see langword="null"/> when none arrived in time.</returns>
    /// <exception cref="ObjectDisposedException">The bus is (or gets) disposed.</exception>
    public CanMessage? Receive(TimeSpan? timeout = null) =>
        TryReceive(out var message, timeout) ? message : null;

    /// <summary>Takes a frame that passes the filters if one is already there, without waiting.</summary>
    /// <param name="message">The frame, when the result is <see langword="true"/>.</param>
    /// <returns>Whether a frame was taken.</returns>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    public bool TryReceive(out CanMessage message) => TryReceive(out message, TimeSpan.Zero);

    /// <summary>Receives one frame that passes the filters, waiting as long as needed.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The frame.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The bus is (or gets) disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask<CanMessage> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var pending = ReceiveFrameAsync(cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return ReceiveAcceptedStateMachine.Run(this, pending, cancellationToken);
        }

        // Already there: no state machine.
        var received = pending.Result;
        ObjectDisposedException.ThrowIf(received is null, this);
        var frame = received.GetValueOrDefault();
        return Accept(frame)
            ? new ValueTask<CanMessage>(frame)
            : ReceiveAcceptedStateMachine.Run(this, ReceiveFrameAsync(cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Every frame that passes the filters, as they arrive. The sequence ends when the bus is disposed.
    /// </summary>
    /// <param name="cancellationToken">Ends the enumeration with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The frames.</returns>
    /// <remarks>Frames already there are taken without an asynchronous wait. Disposing the enumerator ends it too.
    /// <paramref name="cancellationToken"/> and the one given to <c>GetAsyncEnumerator</c> (<c>WithCancellation</c>)
    /// both count.</remarks>
    public IAsyncEnumerable<CanMessage> ReadAllAsync(CancellationToken cancellationToken = default) =>
        new ReceivedFrames(this, cancellationToken);

    /// <summary>Disposes the bus: stops periodic tasks, wakes receivers, releases the backend's resources. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        StopPeriodicTasksOnDispose();
        Dispose(disposing: true);
        BusMetrics.Retire(this);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the bus asynchronously (see <see cref="Dispose()"/>). Idempotent.</summary>
    /// <returns>A task that completes when the bus is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        StopPeriodicTasksOnDispose();
        await DisposeAsyncCore().ConfigureAwait(false);
        BusMetrics.Retire(this);
        GC.SuppressFinalize(this);
    }

    /// <summary>The channel information.</summary>
    /// <returns><see cref="ChannelInfo"/>.</returns>
    public override string ToString() => ChannelInfo;

    /// <summary>Throws <see cref="ObjectDisposedException"/> when the bus is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // on the asynchronous receive path: no tier-up there after warm-up
    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    /// <summary>Stops the bus's periodic send tasks (implemented by the periodic-sending part of this class).</summary>
    partial void StopPeriodicTasksOnDispose();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TimeSpan ToWait(TimeSpan? timeout)
    {
        if (timeout is not { } value)
        {
            return Timeout.InfiniteTimeSpan;
        }

        if (value != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(timeout));
        }

        return value;
    }
}
