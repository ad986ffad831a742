using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Interfaces.UdpMulticast.Linux;

/// <summary>
/// The Linux transport: receives with <c>recvmmsg(2)</c> (several datagrams per system call) and reads the kernel's
/// receive time (<c>SO_TIMESTAMPNS</c>) from the control messages and the socket's drop count with <c>SO_MEMINFO</c>.
/// </summary>
/// <remarks>
/// <para>Every structure the kernel writes into lives in arrays on the pinned object heap, owned by this object, so
/// nothing is freed while a system call may still use it. The socket's file descriptor is used only between
/// <see cref="SafeHandle.DangerousAddRef"/> and <see cref="SafeHandle.DangerousRelease"/>: a concurrent close cannot
/// recycle the descriptor under a running call.</para>
/// <para><see cref="Close"/> calls <c>shutdown(SHUT_RD)</c>, which wakes a <c>recvmmsg</c> or <c>poll</c> blocked on the
/// socket at once and makes every later read return end-of-file.</para>
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed unsafe class LinuxMulticastTransport : IMulticastTransport
{
    // Datagrams per recvmmsg call: 64 drains a burst of a full-rate sender in few calls (measured in docs/benchmarks.md).
    private const int DefaultBatchCapacity = 64;

    // SO_RCVTIMEO counts in scheduler ticks (up to 2 late, 20 ms at HZ=100) on a timer wheel that fires long timeouts up
    // to 1/8 late, so a blocking receive is given at most 3/4 of the time left and poll (a high-resolution timer) waits
    // out the rest. Below this, poll only.
    private static readonly TimeSpan MinBlockingTimeout = TimeSpan.FromMilliseconds(100);

    // SO_RCVTIMEO is 20 (with a native-word timeval) where the kernel uses asm-generic/socket.h; elsewhere (powerpc,
    // mips, sparc, ...) finite timeouts wait with poll.
    private static readonly bool ReceiveTimeoutOptionKnown = RuntimeInformation.ProcessArchitecture is
        Architecture.X64 or Architecture.Arm64 or Architecture.X86 or Architecture.Arm or Architecture.RiscV64 or Architecture.LoongArch64;

    private readonly MulticastEndpoint _endpoint;
    private readonly ILogger _logger;
    private readonly Socket _socket;
    private readonly SafeHandle _handle;
    private readonly MulticastSender _sender;
    private readonly LinuxSender _linuxSender;
    private readonly OwnEchoFilter? _echoFilter;
    private readonly AddressFamily _family;

    // Pinned kernel-facing storage (see remarks); one thread at a time receives (the DatagramReceiver's reader).
    private readonly ReceiveVectors _vectors;

    // SO_RCVTIMEO as last set (infinite = 0 = no timeout, the socket's initial state); only the blocking receiver sets it.
    private TimeSpan _receiveTimeout = Timeout.InfiniteTimeSpan;

    // Set once the descriptor may be non-blocking: the runtime's asynchronous engine makes it so for good on first use.
    private volatile bool _blockingUnavailable;
    private volatile bool _closed;
    private int _disposed;

    /// <summary>Opens both sockets.</summary>
    /// <param name="endpoint">The group and port.</param>
    /// <param name="options">The bus options.</param>
    /// <param name="logger">Where to log.</param>
    /// <exception cref="CanInitializationException">A socket could not be opened or configured; nothing is left open.</exception>
    public LinuxMulticastTransport(MulticastEndpoint endpoint, UdpMulticastBusOptions options, ILogger logger)
    {
        _endpoint = endpoint;
        _logger = logger;
        _family = endpoint.Family;
        BatchCapacity = DefaultBatchCapacity;
        _socket = MulticastSockets.OpenReceiveSocket(endpoint, options, logger);
        try
        {
            KernelTimestamps = EnableKernelTimestamps(options.TimestampSource);
            _sender = new MulticastSender(endpoint);
            _echoFilter = !options.ReceiveOwnMessages && options.FilterOwnEchoesInKernel
                ? new OwnEchoFilter(_socket, logger, options.DeferOwnEchoFilter || _sender.SourceAddress is not { } address
                    ? default : SourceAddress.From(address, _sender.LocalPort))
                : null;
            _linuxSender = new LinuxSender(_sender, endpoint, _echoFilter);
        }
        catch
        {
            _sender?.Dispose();
            _socket.Dispose();
            throw;
        }

        _handle = _socket.SafeHandle;
        _vectors = new ReceiveVectors(BatchCapacity, _family);
    }

    /// <inheritdoc/>
    public int SendPort => _sender.LocalPort;

    /// <inheritdoc/>
    public bool KernelTimestamps { [MethodImpl(MethodImplOptions.AggressiveOptimization)] get; }

    /// <inheritdoc/>
    public int BatchCapacity { get; }

    /// <inheritdoc/>
    public bool IsClosed
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get => _closed;
    }

    /// <inheritdoc/>
    public long OwnEchoesFiltered => _echoFilter?.FilteredEstimate ?? 0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OwnEchoSkipped(in SourceAddress source) => _echoFilter?.EchoSeen(source);

    /// <inheritdoc/>
    /// <remarks>
    /// <c>getsockopt(SO_MEMINFO)</c>: <c>u32 vars[SK_MEMINFO_VARS]</c> with the socket's <c>sk_drops</c> (the count
    /// <c>SO_RXQ_OVFL</c> would attach to every datagram) at index 8. A direct call: no exception, nothing to compile late
    /// when the receive path polls it.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadKernelDropCounter(out uint dropCounter)
    {
        // The echoes seen are read before the socket's count, so that the correction is never too small (OwnEchoFilter).
        var echoesSeen = _echoFilter?.EchoesSeen ?? 0;
        var meminfo = stackalloc uint[LinuxInterop.SK_MEMINFO_VARS];
        var length = (uint)(LinuxInterop.SK_MEMINFO_VARS * sizeof(uint));
        var result = -1;
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            result = LinuxInterop.GetSockOpt((int)_handle.DangerousGetHandle(), LinuxInterop.SOL_SOCKET, LinuxInterop.SO_MEMINFO, meminfo, &length);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }

        var known = result == 0 && length >= (LinuxInterop.SK_MEMINFO_DROPS + 1) * sizeof(uint);
        dropCounter = !known ? 0
            : _echoFilter is { } filter ? filter.Correct(meminfo[LinuxInterop.SK_MEMINFO_DROPS], echoesSeen)
            : meminfo[LinuxInterop.SK_MEMINFO_DROPS];
        return known;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReceiveQueued(DatagramBatch batch, int maxCount)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var count = Math.Min(Math.Min(batch.Capacity, BatchCapacity), maxCount);
        return count <= 0 ? 0 : Receive(batch, count, LinuxInterop.MSG_DONTWAIT, out _);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One blocking <c>recvmmsg</c> call with <c>MSG_WAITFORONE</c> (wait and take in one system call, as a blocking
    /// <c>recvfrom</c> does; <c>recvmsg</c> when one datagram is asked for) with
    /// <c>SO_RCVTIMEO</c> for long timeouts; <c>poll</c> and a non-blocking receive for short ones (precision), and for
    /// good once an asynchronous wait has made the descriptor non-blocking.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReceiveWaiting(DatagramBatch batch, int maxCount, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var count = Math.Min(Math.Min(batch.Capacity, BatchCapacity), maxCount);
        if (_closed || count <= 0)
        {
            return 0;
        }

        if (_blockingUnavailable || !SetReceiveTimeoutFor(timeout))
        {
            return WaitReadable(timeout) ? Receive(batch, count, LinuxInterop.MSG_DONTWAIT, out _) : 0;
        }

        // MSG_WAITFORONE: block for the first datagram only, then take what else is queued.
        var started = Stopwatch.GetTimestamp();
        var received = Receive(batch, count, LinuxInterop.MSG_WAITFORONE, out var errno);
        if (received == 0 && errno == LinuxInterop.EAGAIN
            && (_receiveTimeout == Timeout.InfiniteTimeSpan || Stopwatch.GetElapsedTime(started).Ticks < _receiveTimeout.Ticks / 2))
        {
            // EAGAIN long before the timeout: the descriptor is non-blocking after all. Wait with poll from now on.
            _blockingUnavailable = true;
        }

        return received;
    }

    /// <summary>Blocks until a datagram may be queued, the timeout elapses, or <see cref="Close"/> is called (which wakes it at once).</summary>
    /// <returns><see langword="true"/> when a datagram may be queued (spurious wake-ups allowed); <see langword="false"/> on timeout or when closed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool WaitReadable(TimeSpan timeout)
    {
        var milliseconds = timeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Min(Math.Ceiling(timeout.TotalMilliseconds), int.MaxValue);
        while (!_closed)
        {
            var added = false;
            try
            {
                _handle.DangerousAddRef(ref added);
                var poll = new LinuxInterop.PollFd { Fd = (int)_handle.DangerousGetHandle(), Events = LinuxInterop.POLLIN };
                var ready = LinuxInterop.Poll(&poll, 1, milliseconds);
                if (ready >= 0)
                {
                    return ready > 0 && !_closed;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != LinuxInterop.EINTR)
                {
                    if (_closed)
                    {
                        return false;
                    }

                    throw new CanOperationException(
                        $"poll on UDP multicast group {_endpoint.Describe()} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
                }

                // EINTR: the caller re-checks its own deadline, so returning "maybe" is fine.
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
            finally
            {
                if (added)
                {
                    _handle.DangerousRelease();
                }
            }
        }

        return false;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask<bool> WaitReadableAsync(CancellationToken cancellationToken)
    {
        // The runtime's socket engine makes the descriptor non-blocking for good: blocking receives cannot wait any more.
        _blockingUnavailable = true;
        return SocketReadiness.WaitAsync(_socket, this, _endpoint, cancellationToken);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Send(ReadOnlySpan<byte> datagram, TimeSpan timeout) => _linuxSender.Send(datagram, timeout);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int SendBatch(OutgoingBatch batch, TimeSpan timeout) => _linuxSender.Send(batch, timeout);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        // The send socket is non-blocking, so a datagram the send buffer has room for goes out now, in one sendto,
        // without the runtime's asynchronous socket machinery (which was seen to throw a NullReferenceException from
        // inside Socket.SendToAsync when a dispose raced it); only a full send buffer waits asynchronously.
        return _linuxSender.TrySend(datagram.Span) ? default
            : _echoFilter is null ? _sender.SendAsync(datagram, cancellationToken)
            : _echoFilter.CountedAsync(_sender, datagram, cancellationToken);
    }

    /// <inheritdoc/>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);

            // ENOTCONN is expected for an unconnected UDP socket; the wake-up happens anyway.
            _ = LinuxInterop.Shutdown(_handle, LinuxInterop.SHUT_RD);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }

        MulticastSockets.TryLeave(_socket, _endpoint, _logger);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Close();
        _socket.Dispose();
        _sender.Dispose();
    }

    private bool EnableKernelTimestamps(UdpMulticastTimestampSource source)
    {
        if (source == UdpMulticastTimestampSource.Software)
        {
            return false;
        }

        try
        {
            _socket.SetRawSocketOption(LinuxInterop.SOL_SOCKET, LinuxInterop.SO_TIMESTAMPNS, BitConverter.GetBytes(1));
            return true;
        }
        catch (SocketException) when (source == UdpMulticastTimestampSource.Auto)
        {
            UdpMulticastLog.SoftwareTimestamps(_logger);
            return false;
        }
        catch (SocketException ex)
        {
            throw new CanInitializationException(
                $"Kernel receive timestamps (SO_TIMESTAMPNS) are not available for UDP multicast group {_endpoint.Describe()}: {ex.Message}. Use TimestampSource Auto or Software.", ex);
        }
    }

    /// <summary>
    /// One <c>recvmmsg</c> call (repeated after <c>EINTR</c> when it does not wait) with the descriptor kept alive, and
    /// the received entries filled in.
    /// </summary>
    /// <returns>The number of datagrams taken; 0 when none came (<paramref name="errno"/> says why), or closed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Receive(DatagramBatch batch, int count, int flags, out int errno)
    {
        errno = 0;
        while (!_closed)
        {
            var added = false;
            try
            {
                _handle.DangerousAddRef(ref added);
                var received = _vectors.Receive((int)_handle.DangerousGetHandle(), batch, count, flags, out errno);
                if (received > 0)
                {
                    return _closed ? 0 : _vectors.Parse(batch, received);
                }

                // EINTR on a waiting call: a spurious wake-up; the caller re-checks its deadline.
                if (received == 0 || errno == LinuxInterop.EAGAIN || _closed || (errno == LinuxInterop.EINTR && (flags & LinuxInterop.MSG_DONTWAIT) == 0))
                {
                    return 0;
                }

                if (errno != LinuxInterop.EINTR)
                {
                    throw new CanOperationException(
                        $"recvmmsg on UDP multicast group {_endpoint.Describe()} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
                }
            }
            catch (ObjectDisposedException)
            {
                // DangerousAddRef on a closed handle: the transport is closing.
                return 0;
            }
            finally
            {
                if (added)
                {
                    _handle.DangerousRelease();
                }
            }
        }

        return 0;
    }

    /// <summary>
    /// Sets <c>SO_RCVTIMEO</c> for a blocking receive that must end within <paramref name="timeout"/>, unless the value
    /// already set fits (so a loop of receives with similar timeouts costs no extra system call).
    /// </summary>
    /// <returns><see langword="false"/> when the timeout is too short for the tick-based timer (use poll instead) or the option cannot be set.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SetReceiveTimeoutFor(TimeSpan timeout)
    {
        TimeSpan wanted;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            if (_receiveTimeout == Timeout.InfiniteTimeSpan)
            {
                return true;
            }

            wanted = Timeout.InfiniteTimeSpan;
        }
        else
        {
            if (timeout < MinBlockingTimeout || !ReceiveTimeoutOptionKnown)
            {
                return false;
            }

            // Tick arithmetic: TimeSpan's division by a number goes through double (and a helper the JIT compiles late).
            if (_receiveTimeout != Timeout.InfiniteTimeSpan && _receiveTimeout.Ticks >= timeout.Ticks / 2 && _receiveTimeout.Ticks <= timeout.Ticks / 4 * 3)
            {
                return true;
            }

            // The middle of the accepted range, whole milliseconds: later calls with a slightly shorter timeout reuse it.
            wanted = TimeSpan.FromMilliseconds(Math.Floor(timeout.TotalMilliseconds * 5 / 8));
        }

        Span<nint> timeval = stackalloc nint[2];
        if (wanted != Timeout.InfiniteTimeSpan)
        {
            timeval[0] = (nint)(wanted.Ticks / TimeSpan.TicksPerSecond);
            timeval[1] = (nint)(wanted.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond);
        }

        try
        {
            _socket.SetRawSocketOption(LinuxInterop.SOL_SOCKET, LinuxInterop.SO_RCVTIMEO, MemoryMarshal.AsBytes(timeval));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _blockingUnavailable = true;
            return false;
        }

        _receiveTimeout = wanted;
        return true;
    }
}
