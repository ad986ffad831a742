using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using CanUdpMulticast.Interfaces.UdpMulticast.Linux;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// A virtual CAN / CAN FD bus over UDP multicast, wire-compatible with python-can's <c>udp_multicast</c> interface: every
/// node that joins the same group and port (on this host or on the local link) receives every frame the others send,
/// one frame per datagram, encoded as python-can's MessagePack map.
/// </summary>
/// <remarks>
/// <para>Receiving happens on the caller's thread, as in python-can: <c>Receive</c>, <c>TryReceive</c>,
/// <c>ReceiveBatch</c>, <c>ReceiveAsync</c> and <c>ReadAllAsync</c> read the socket themselves (on Linux up to 64
/// datagrams per <c>recvmmsg</c> call into a pinned buffer, handed out one by one), skip what is not a frame for the
/// application and decode the rest. A blocking wait takes the next datagram as it waits (on Linux one blocking
/// <c>recvmmsg</c>, as few system calls as a blocking <c>recvfrom</c>); an asynchronous wait is a zero-byte peek through
/// the runtime's socket engine. The bus starts no thread, a bus that only sends does no receive work, and nothing is allocated per
/// frame. Until the application reads, frames wait in the socket's receive buffer
/// (<see cref="UdpMulticastBusOptions.ReceiveBufferSize"/>, 1 MiB by default; when it is full the kernel drops and the
/// bus counts the drops in <see cref="UdpMulticastStatistics.KernelDrops"/>). Timestamps are the kernel's arrival time
/// on Linux (the time the bus read the socket elsewhere), in seconds since the Unix epoch; the sender's timestamp is
/// replaced, as in python-can. The loopback harness (scripts/bench.sh) decided this design: a dedicated receive thread
/// per bus cost about 1.8 times the CPU per frame and 2.7 times the round-trip time on one CPU (docs/benchmarks.md).</para>
/// <para>Own frames: the bus sends from a separate socket on its own ephemeral port, so it recognises its own frames
/// when multicast loopback returns them and skips them before decoding (or returns them with
/// <see cref="CanMessage.IsRx"/> <see langword="false"/> when <see cref="UdpMulticastBusOptions.ReceiveOwnMessages"/> is on).
/// Other processes on this host, python-can included, still receive every frame.</para>
/// <para>Bad input: a datagram that is not a valid frame (not MessagePack, truncated, larger than 4096 bytes, not a
/// map, unknown or duplicate keys, wrong types, too deep, an invalid frame) is dropped, counted by reason in
/// <see cref="MulticastStatistics"/> and in <see cref="CanBusStatistics.MalformedFrames"/>, and logged at most once per
/// 10 seconds (event id 302). python-can raises from <c>recv</c> instead. A receive call never fails because of one.</para>
/// <para>Limits of the medium: UDP gives no delivery or ordering guarantee, there is no arbitration, and anyone on the
/// link can send frames into the group.</para>
/// </remarks>
public sealed class UdpMulticastBus : CanBus
{
    [ThreadStatic]
    private static byte[]? t_sendBuffer;

    private readonly UdpMulticastBusOptions _options;
    private readonly MulticastEndpoint _endpoint;
    private readonly IMulticastTransport _transport;
    private readonly Lock _receiveGate = new();
    private readonly DatagramBatch _batch;

    // The most datagrams a refill asks the transport for; _batch has one slot more, so a datagram the waiting receiver
    // took can always be put in front of the pending ones.
    private readonly int _refillCapacity;

    // The one waiting receiver's own slot (see WaitForDatagram) and whether a thread is using it (guarded by _receiveGate).
    // While one is, nothing else takes datagrams from the socket (so no thread sees frames out of order), and other
    // blocking waiters sleep on _handover until it has put its datagram in the batch or given up the role.
    private readonly DatagramBatch _waitBatch;
    private readonly object _handover = new();
    private bool _receivingWhileWaiting;

    // Received datagrams not yet handed out: slots [_pendingNext, _pendingCount) of _batch (guarded by _receiveGate).
    private int _pendingNext;
    private int _pendingCount;

    // Receive calls waiting for the socket (incremented under _receiveGate, always changed with Interlocked: the
    // asynchronous waits decrement it outside the lock). While there are any, a refill takes one
    // datagram at a time, so no frame is left in the batch while another receiver sleeps on a socket that looks empty.
    private int _waiters;
    private readonly UdpMulticastCounters _counters = new();
    private readonly ILogger _logger;
    private readonly OwnEchoDetector _ownEchoes;
    private readonly LogRateLimiter _malformedLog = new(LogRateLimiter.DefaultInterval);
    private readonly LogRateLimiter _fdLog = new(LogRateLimiter.DefaultInterval);
    private readonly LogRateLimiter _kernelDropLog = new(LogRateLimiter.DefaultInterval);
    private readonly LogRateLimiter _errorLog = new(LogRateLimiter.DefaultInterval);

    /// <summary>Opens a bus on a group with python-can's defaults for everything else.</summary>
    /// <param name="channel">The multicast group, e.g. <c>"239.74.163.2"</c>; default python-can's IPv6 group.</param>
    /// <exception cref="CanInitializationException">The group is not a multicast address, or the sockets could not be opened.</exception>
    public UdpMulticastBus(string channel = UdpMulticastBusOptions.DefaultGroupIPv6)
        : this(new UdpMulticastBusOptions { Channel = channel })
    {
    }

    /// <summary>Opens a bus: validates the options, opens and joins the sockets and starts receiving.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="CanInitializationException">
    /// An option is invalid (not a multicast address, a port outside 1..65535, a hop limit outside 0..255, an unknown
    /// network interface) or a socket could not be opened or joined (e.g. no multicast route). Nothing stays open.
    /// </exception>
    public UdpMulticastBus(UdpMulticastBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _endpoint = MulticastEndpoint.Resolve(options);
        _transport = OperatingSystem.IsLinux() && LinuxInterop.LayoutMatches && !options.ForcePortableTransport
            ? new LinuxMulticastTransport(_endpoint, options, _logger)
            : new PortableMulticastTransport(_endpoint, options, _logger);
        try
        {
            _ownEchoes = new OwnEchoDetector(_endpoint.Family, _transport.SendPort);
            if (options.Filters is { Count: > 0 } filters)
            {
                SetFilters(filters);
            }

            _refillCapacity = _transport.BatchCapacity;
            _batch = new DatagramBatch(_refillCapacity + 1);
            _waitBatch = new DatagramBatch(1);
        }
        catch
        {
            _transport.Dispose();
            throw;
        }

        UdpMulticastLog.Opened(_logger, _endpoint.GroupText, _endpoint.Port, _transport.SendPort, _endpoint.InterfaceDescription,
            _endpoint.HopLimit, _transport.KernelTimestamps);
    }

    /// <summary>The options the bus was opened with.</summary>
    public UdpMulticastBusOptions Options => _options;

    /// <summary>The multicast group.</summary>
    public IPAddress Group => _endpoint.Group;

    /// <summary>The UDP port of the bus.</summary>
    public int Port => _endpoint.Port;

    /// <summary>The ephemeral UDP port this bus sends from (how its own frames are recognised).</summary>
    public int SendPort => _transport.SendPort;

    /// <summary>What the bus did with the datagrams it received: own frames skipped, drops and malformed datagrams by reason.</summary>
    public UdpMulticastStatistics MulticastStatistics => _counters.Snapshot(_transport.KernelTimestamps);

    internal override string DefaultMetricInterface => "udp_multicast";

    internal override string DefaultMetricChannel => _options.Channel;

    internal override long KernelDropCount => MulticastStatistics.KernelDrops;

    /// <inheritdoc/>
    public override string ChannelInfo => $"UDP multicast group {_endpoint.Describe()}";

    /// <inheritdoc/>
    public override CanProtocol Protocol => _options.Fd ? CanProtocol.CanFd : CanProtocol.Can20;

    /// <summary>The number of received frames waiting to be read (for tests).</summary>
    internal int QueuedFrameCount
    {
        get
        {
            // Tests only: move what the socket holds into the pending batch, then count the datagrams waiting there.
            lock (_receiveGate)
            {
                Compact();
                while (_pendingCount < _refillCapacity && Refill(_pendingCount, out var drained) && !drained)
                {
                }

                return _pendingCount - _pendingNext;
            }
        }
    }

    /// <summary>
    /// Probes python-can's two default groups (IPv6 <see cref="UdpMulticastBusOptions.DefaultGroupIPv6"/>, IPv4
    /// <see cref="UdpMulticastBusOptions.DefaultGroupIPv4"/>): opens a socket and joins each, and returns the ones that work on
    /// this host now (python-can returns both whenever the platform has <c>CMSG_SPACE</c>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The groups that can be joined.</returns>
    public static async Task<IReadOnlyList<string>> DetectAvailableGroupsAsync(CancellationToken cancellationToken = default)
    {
        string[] candidates = [UdpMulticastBusOptions.DefaultGroupIPv6, UdpMulticastBusOptions.DefaultGroupIPv4];
        var probes = candidates.Select(group => Task.Run(() => ProbeGroup(group), cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken)).ToArray();
        var available = new List<string>();
        for (var i = 0; i < candidates.Length; i++)
        {
            try
            {
                if (await probes[i].ConfigureAwait(false))
                {
                    available.Add(candidates[i]);
                }
            }
            catch (TimeoutException)
            {
                // A probe that hangs counts as not available.
            }
        }

        return available;
    }

    /// <summary>Whether a socket can join <paramref name="group"/> in the calling thread's network namespace now.</summary>
    /// <param name="group">The group.</param>
    /// <returns>Whether the join worked (the socket is closed again).</returns>
    internal static bool ProbeGroup(string group)
    {
        try
        {
            var endpoint = MulticastEndpoint.Resolve(new UdpMulticastBusOptions { Channel = group });
            using var socket = MulticastSockets.NewSocket(endpoint, "probe");
            MulticastSockets.SetMembership(socket, endpoint, System.Net.Sockets.SocketOptionName.AddMembership);
            return true;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or CanException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    protected override bool ReceiveFrame(out CanMessage message, TimeSpan timeout)
    {
        if (TryTakeFrame(out message))
        {
            return true;
        }

        if (timeout == TimeSpan.Zero)
        {
            return false;
        }

        var infinite = timeout == Timeout.InfiniteTimeSpan;
        var start = Stopwatch.GetTimestamp();
        while (!IsDisposed)
        {
            var remaining = infinite ? Timeout.InfiniteTimeSpan : timeout - Stopwatch.GetElapsedTime(start);
            if (!infinite && remaining <= TimeSpan.Zero)
            {
                break;
            }

            WaitForDatagram(remaining);
            if (TryTakeFrame(out message))
            {
                return true;
            }
        }

        message = default;
        return false;
    }

    /// <inheritdoc/>
    protected override int ReceiveFrames(Span<CanMessage> destination, TimeSpan timeout) =>
        ReceiveFrame(out destination[0], timeout) ? 1 + TakeFrames(destination[1..]) : 0;

    /// <inheritdoc/>
    protected override ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken) =>
        TryTakeFrame(out var message) ? new ValueTask<CanMessage?>(message) : ReceiveWhenReadableAsync(cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CanMessage?> ReceiveWhenReadableAsync(CancellationToken cancellationToken)
    {
        while (!IsDisposed)
        {
            var readable = await WaitForDatagramAsync(cancellationToken).ConfigureAwait(false);
            if (TryTakeFrame(out var message))
            {
                return message;
            }

            if (!readable)
            {
                break;
            }
        }

        return null;
    }

    private bool TryTakeFrame(out CanMessage message)
    {
        lock (_receiveGate)
        {
            return TakeLocked(out message);
        }
    }

    private int TakeFrames(Span<CanMessage> destination)
    {
        var count = 0;
        lock (_receiveGate)
        {
            while (count < destination.Length && TakeLocked(out destination[count]))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Blocks until a datagram may be there to take, the timeout elapses or the bus is disposed.</summary>
    /// <remarks>
    /// One waiting thread at a time receives while it waits (on Linux one blocking <c>recvmmsg</c>, the same number of
    /// system calls as a blocking <c>recvfrom</c>) and puts the datagram in front of the pending ones; other threads that
    /// wait at the same time sleep until it has done so or has given up the role, then look again.
    /// </remarks>
    private bool WaitForDatagram(TimeSpan timeout)
    {
        bool receiveHere;
        lock (_receiveGate)
        {
            if (_pendingNext < _pendingCount)
            {
                return true;
            }

            Interlocked.Increment(ref _waiters);
            receiveHere = !_receivingWhileWaiting;
            _receivingWhileWaiting = true;
        }

        try
        {
            if (receiveHere)
            {
                return ReceiveWhileWaiting(timeout);
            }

            lock (_handover)
            {
                if (Volatile.Read(ref _receivingWhileWaiting))
                {
                    Monitor.Wait(_handover, timeout);
                }
            }

            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
            if (receiveHere)
            {
                lock (_receiveGate)
                {
                    _receivingWhileWaiting = false;
                }

                // A waiter that found the role taken has counted itself before looking, so this sees it.
                if (Volatile.Read(ref _waiters) > 0)
                {
                    lock (_handover)
                    {
                        Monitor.PulseAll(_handover);
                    }
                }
            }
        }
    }

    /// <summary>Waits asynchronously until a datagram may be there; <see langword="false"/> when the bus is closed.</summary>
    private ValueTask<bool> WaitForDatagramAsync(CancellationToken cancellationToken)
    {
        if (!RegisterWaiter())
        {
            return new ValueTask<bool>(true);
        }

        var wait = _transport.WaitReadableAsync(cancellationToken);
        if (wait.IsCompleted)
        {
            Interlocked.Decrement(ref _waiters);
            return wait;
        }

        return UnregisterWhenDone(wait);
    }

    /// <summary>Counts a receive call as waiting for the socket, unless frames are already pending in the batch.</summary>
    /// <returns><see langword="false"/> when frames are pending (nothing to wait for).</returns>
    private bool RegisterWaiter()
    {
        lock (_receiveGate)
        {
            if (_pendingNext < _pendingCount)
            {
                return false;
            }

            Interlocked.Increment(ref _waiters);
            return true;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> UnregisterWhenDone(ValueTask<bool> wait)
    {
        try
        {
            return await wait.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="CanOperationException">The frame is CAN FD and the bus has FD disabled, or the socket failed.</exception>
    protected override void SendFrame(in CanMessage message, TimeSpan timeout)
    {
        ThrowIfFdDisabled(message);
        var buffer = t_sendBuffer ??= new byte[WireCodec.MaxDatagramSize];
        var length = WireCodec.Encode(message, buffer);
        _transport.Send(buffer.AsSpan(0, length), timeout);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The frames are encoded into a pinned per-thread buffer and handed to the kernel 64 at a time (Linux: one
    /// <c>sendmmsg</c> call per 64 frames; elsewhere one send per frame). Nothing is sent when a frame is CAN FD on a bus
    /// with FD disabled.
    /// </remarks>
    /// <exception cref="CanOperationException">A frame is CAN FD and the bus has FD disabled, or the socket failed.</exception>
    /// <exception cref="CanTimeoutException">No frame could be sent within <paramref name="timeout"/>.</exception>
    protected override int SendFrames(ReadOnlySpan<CanMessage> messages, TimeSpan timeout)
    {
        foreach (ref readonly var message in messages)
        {
            ThrowIfFdDisabled(message);
        }

        var start = Stopwatch.GetTimestamp();
        var batch = OutgoingBatch.ForCurrentThread();
        var sent = 0;
        var index = 0;
        while (index < messages.Length)
        {
            batch.Clear();
            while (index < messages.Length && batch.HasRoom)
            {
                batch.Add(messages[index++]);
            }

            var remaining = timeout;
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                remaining = timeout - Stopwatch.GetElapsedTime(start);
                if (remaining < TimeSpan.Zero)
                {
                    remaining = TimeSpan.Zero;
                }
            }

            int done;
            try
            {
                done = _transport.SendBatch(batch, remaining);
            }
            catch (CanTimeoutException) when (sent > 0)
            {
                break;
            }

            sent += done;
            if (done < batch.Count)
            {
                break;
            }
        }

        return sent;
    }

    /// <inheritdoc/>
    /// <exception cref="CanOperationException">The frame is CAN FD and the bus has FD disabled, or the socket failed.</exception>
    protected override async ValueTask SendFrameAsync(CanMessage message, CancellationToken cancellationToken)
    {
        ThrowIfFdDisabled(message);
        var buffer = ArrayPool<byte>.Shared.Rent(WireCodec.MaxDatagramSize);
        try
        {
            var length = WireCodec.Encode(message, buffer);
            await _transport.SendAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        // Wake every receiver first (shutting the socket down wakes a blocked receive or poll and completes a pending
        // asynchronous wait), then close the sockets (a call still inside the kernel keeps its descriptor until it returns).
        _transport.Close();
        _transport.Dispose();
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            UdpMulticastLog.Closed(_logger, _endpoint.GroupText, _endpoint.Port, MulticastStatistics);
        }

        base.Dispose(disposing);
    }

    private void ThrowIfFdDisabled(in CanMessage message)
    {
        if (message.IsFd && !_options.Fd)
        {
            throw new CanOperationException($"Cannot send a CAN FD frame on UDP multicast group {_endpoint.Describe()}: the bus has CAN FD disabled (Fd = false).");
        }
    }

    /// <summary>
    /// Hands out the next pending datagram that is a frame for the application, refilling from the socket as needed. A
    /// refill that returned fewer datagrams than asked for emptied the socket: when none of them was for the application
    /// (an own echo, say), the answer is "nothing" at once instead of a second system call that would find nothing.
    /// </summary>
    private bool TakeLocked(out CanMessage message)
    {
        var drained = false;
        while (true)
        {
            while (_pendingNext < _pendingCount)
            {
                var index = _pendingNext;
                _pendingNext = index + 1;
                if (TryDecode(index, out message))
                {
                    return true;
                }
            }

            if (drained || !Refill(0, out drained))
            {
                message = default;
                return false;
            }
        }
    }

    /// <summary>
    /// Takes what the socket holds (without waiting) into the batch from slot <paramref name="start"/> on: one
    /// <c>recvmmsg</c> call on Linux. Called under <see cref="_receiveGate"/>.
    /// </summary>
    /// <param name="start">The first slot to fill.</param>
    /// <param name="drained">Whether fewer datagrams came than were asked for (the socket was empty afterwards).</param>
    /// <returns>Whether any datagram came.</returns>
    private bool Refill(int start, out bool drained)
    {
        if (_receivingWhileWaiting)
        {
            // The waiting receiver may hold an older datagram not yet in the batch: taking newer ones now would reorder.
            // (An asynchronous waiter on the same bus may wake and come back here a few times in that short window.)
            drained = true;
            return false;
        }

        int count;
        var requested = Volatile.Read(ref _waiters) > 0 ? 1 : _refillCapacity - start;
        try
        {
            count = _transport.TryReceive(_batch, start, requested);
        }
        catch (CanOperationException ex)
        {
            ReceiveFailed(ex);
            throw;
        }

        drained = count < requested;
        if (start == 0)
        {
            _pendingNext = 0;
        }

        _pendingCount = start + count;
        if (count == 0)
        {
            return false;
        }

        Admit(start, count);
        return true;
    }

    /// <summary>Stamps (without kernel timestamps) and counts datagrams just put in the batch. Called under <see cref="_receiveGate"/>.</summary>
    private void Admit(int start, int count)
    {
        if (!_transport.KernelTimestamps)
        {
            // No kernel receive time: the moment the datagrams were taken from the socket.
            var now = CanClock.Now();
            for (var i = start; i < start + count; i++)
            {
                _batch[i].Timestamp = now;
            }
        }

        _counters.AddDatagrams(count);
        AccountKernelDrops();
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

    /// <summary>Waits for one datagram in the waiting receiver's own slot and puts it in front of the pending ones.</summary>
    /// <returns>Whether a datagram came.</returns>
    private bool ReceiveWhileWaiting(TimeSpan timeout)
    {
        int count;
        try
        {
            count = _transport.ReceiveWaiting(_waitBatch, timeout);
        }
        catch (CanOperationException ex)
        {
            ReceiveFailed(ex);
            throw;
        }

        if (count == 0)
        {
            return false;
        }

        lock (_receiveGate)
        {
            // It arrived before anything another thread took from the socket meanwhile, so it goes first.
            int index;
            if (_pendingNext > 0)
            {
                index = --_pendingNext;
            }
            else
            {
                for (var i = _pendingCount; i > 0; i--)
                {
                    MoveSlot(_batch, i - 1, _batch, i);
                }

                index = 0;
                _pendingCount++;
            }

            MoveSlot(_waitBatch, 0, _batch, index);
            Admit(index, 1);
        }

        return true;
    }

    /// <summary>Copies one received datagram (entry and payload) to another slot.</summary>
    private static void MoveSlot(DatagramBatch from, int fromIndex, DatagramBatch to, int toIndex)
    {
        to[toIndex] = from[fromIndex];
        from.Payload(fromIndex).Span.CopyTo(to.Slot(toIndex).Span);
    }

    /// <summary>Moves the pending datagrams to the front of the batch (tests only, see <see cref="QueuedFrameCount"/>).</summary>
    private void Compact()
    {
        if (_pendingNext == 0)
        {
            return;
        }

        var pending = _pendingCount - _pendingNext;
        for (var i = 0; i < pending; i++)
        {
            MoveSlot(_batch, _pendingNext + i, _batch, i);
        }

        _pendingNext = 0;
        _pendingCount = pending;
    }

    /// <summary>
    /// Turns one received datagram into a frame for the application: own echoes are skipped by their source address
    /// before anything is decoded; malformed datagrams and (on a non-FD bus) FD frames are counted, logged and dropped.
    /// Never throws for bad input.
    /// </summary>
    private bool TryDecode(int index, out CanMessage message)
    {
        ref var entry = ref _batch[index];
        try
        {
            if (entry.Truncated)
            {
                Malformed(MalformedDatagramReason.Oversized, _batch, index);
                message = default;
                return false;
            }

            var own = _ownEchoes.IsOwn(entry.Source);
            if (own && !_options.ReceiveOwnMessages)
            {
                _counters.AddOwnSkipped();
                message = default;
                return false;
            }

            var reason = WireCodec.Decode(_batch.Payload(index), out message);
            if (reason != MalformedDatagramReason.None)
            {
                Malformed(reason, _batch, index);
                return false;
            }

            if (message.IsFd && !_options.Fd)
            {
                _counters.AddFdDropped();
                if (_fdLog.TryAcquire(out var suppressed) && _logger.IsEnabled(LogLevel.Information))
                {
                    var source = entry.Source.ToString();
                    UdpMulticastLog.FdFrameDropped(_logger, source, suppressed);
                }

                return false;
            }

            CanMessage.SetReception(ref message, entry.Timestamp, isRx: !own);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _counters.AddReceiveError();
            if (_logger.IsEnabled(LogLevel.Error))
            {
                UdpMulticastLog.ProcessingFailed(_logger, entry.Source.ToString(), ex);
            }

            message = default;
            return false;
        }
    }

    private void Malformed(MalformedDatagramReason reason, DatagramBatch batch, int index)
    {
        _counters.AddMalformed(reason);
        CountMalformed();
        if (_malformedLog.TryAcquire(out var suppressed) && _logger.IsEnabled(LogLevel.Warning))
        {
            ref var entry = ref batch[index];
            var payload = batch.Payload(index).Span;
            UdpMulticastLog.MalformedDatagram(_logger, entry.Source.ToString(), entry.Truncated ? -1 : entry.Length,
                Convert.ToHexString(payload[..Math.Min(payload.Length, 16)]), reason, suppressed);
        }
    }

    private void AccountKernelDrops()
    {
        var added = _counters.UpdateKernelDrops(_transport.KernelDropCounter);
        if (added > 0)
        {
            CountDropped(added);
            if (_kernelDropLog.TryAcquire(out _))
            {
                UdpMulticastLog.KernelDrops(_logger, added, _counters.KernelDrops);
            }
        }
    }
}
