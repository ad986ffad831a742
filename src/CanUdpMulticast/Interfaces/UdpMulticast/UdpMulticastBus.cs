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
/// <c>ReceiveBatch</c>, <c>ReceiveAsync</c> and <c>ReadAllAsync</c> read the socket themselves through the bus's
/// internal <c>DatagramReceiver</c> (on Linux up to 64 datagrams per <c>recvmmsg</c> call into a pinned buffer, handed out
/// one by one; a waiting receive is one blocking <c>recvmmsg</c> with <c>MSG_WAITFORONE</c>, as few system calls as a
/// blocking <c>recvfrom</c>, or, for single-frame receives, a <c>recvmsg</c> while datagrams come one at a time; an asynchronous wait is a zero-byte peek through the runtime's socket engine), skip what is
/// not a frame for the application and decode the rest (<c>DatagramDecoder</c>). The bus starts no thread, a bus
/// that only sends does no receive work, and nothing is allocated per frame. Until the application reads, frames wait in
/// the socket's receive buffer (<see cref="UdpMulticastBusOptions.ReceiveBufferSize"/>, 1 MiB by default; when it is full
/// the kernel drops and the bus counts the drops in <see cref="UdpMulticastStatistics.KernelDrops"/>). Timestamps are the
/// kernel's arrival time on Linux (the time the bus read the socket elsewhere), in seconds since the Unix epoch; the
/// sender's timestamp is replaced, as in python-can. The loopback harness (scripts/bench.sh) decided this design: a
/// dedicated receive thread per bus cost about 1.8 times the CPU per frame and 2.7 times the round-trip time on one CPU
/// (docs/benchmarks.md).</para>
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
public sealed partial class UdpMulticastBus : CanBus
{
    [ThreadStatic]
    private static byte[]? t_sendBuffer;

    private readonly UdpMulticastBusOptions _options;
    private readonly MulticastEndpoint _endpoint;
    private readonly IMulticastTransport _transport;
    private readonly DatagramReceiver _receiver;
    private readonly UdpMulticastCounters _counters = new();
    private readonly ILogger _logger;

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
            var allowedSources = SourceAllowList.Create(options.AllowedSources);
            var decoder = new DatagramDecoder(options, new OwnEchoDetector(_endpoint.Family, _transport.SendPort), _transport, allowedSources,
                _counters, CountMalformed, _logger);
            _receiver = new DatagramReceiver(_transport, decoder, _counters, CountDropped, _endpoint, _logger);
            if (options.Filters is { Count: > 0 } filters)
            {
                SetFilters(filters);
            }
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
    /// <remarks>Reading it asks the kernel for the socket's drop count (one system call on Linux), so
    /// <see cref="UdpMulticastStatistics.KernelDrops"/> is current even when no datagram arrived after a loss.</remarks>
    public UdpMulticastStatistics MulticastStatistics => _counters.Snapshot(_receiver.RefreshKernelDrops(), _transport.OwnEchoesFiltered, _transport.KernelTimestamps);

    internal override string DefaultMetricInterface => "udp_multicast";

    internal override string DefaultMetricChannel => _options.Channel;

    internal override long KernelDropCount => MulticastStatistics.KernelDrops;

    /// <inheritdoc/>
    public override string ChannelInfo => $"UDP multicast group {_endpoint.Describe()}";

    /// <inheritdoc/>
    public override CanProtocol Protocol => _options.Fd ? CanProtocol.CanFd : CanProtocol.Can20;

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

    // ---- Receiving: the DatagramReceiver waits, reads the socket and decodes; the base class filters and counts. ----

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override bool ReceiveFrame(out CanMessage message, TimeSpan timeout) => _receiver.Receive(out message, timeout);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override bool TryTakeBufferedFrame(out CanMessage message) => _receiver.TakeBuffered(out message);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override int ReceiveFrames(Span<CanMessage> destination, TimeSpan timeout) =>
        _receiver.Receive(out destination[0], timeout, forBatch: destination.Length > 1) ? 1 + _receiver.TakeAvailable(destination[1..]) : 0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken) => _receiver.ReceiveAsync(cancellationToken);

    /// <inheritdoc/>
    protected override void OnStatisticsRead() => _receiver.RefreshKernelDrops();

    // ---- Sending: encode into a per-thread buffer, one system call per frame (sendmmsg per 64 for a batch). ----

    /// <inheritdoc/>
    /// <exception cref="CanOperationException">The frame is CAN FD and the bus has FD disabled, or the socket failed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void SendFrame(in CanMessage message, TimeSpan timeout)
    {
        ThrowIfFdDisabled(message);
        var buffer = t_sendBuffer ??= new byte[WireCodec.MaxDatagramSize];
        var length = WireCodec.Encode(message, buffer);
        try
        {
            _transport.Send(buffer.AsSpan(0, length), timeout);
        }
        catch (Exception ex) when (DisposedUnder(ex))
        {
            throw Disposed(ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The frames are encoded into a pinned per-thread buffer and handed to the kernel 64 at a time (Linux: one
    /// <c>sendmmsg</c> call per 64 frames; elsewhere one send per frame). Nothing is sent when a frame is CAN FD on a bus
    /// with FD disabled.
    /// </remarks>
    /// <exception cref="CanOperationException">A frame is CAN FD and the bus has FD disabled, or the socket failed.</exception>
    /// <exception cref="CanTimeoutException">No frame could be sent within <paramref name="timeout"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            catch (CanTimeoutException) when (sent > 0 && !IsDisposed)
            {
                break;
            }
            catch (Exception ex) when (DisposedUnder(ex))
            {
                throw Disposed(ex);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override ValueTask SendFrameAsync(CanMessage message, CancellationToken cancellationToken) =>
        SendStateMachine.Run(this, message, cancellationToken);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        // Wake every receiver first (shutting the socket down wakes a blocked receive or poll and completes a pending
        // asynchronous wait), then close the sockets (a call still inside the kernel keeps its descriptor until it returns).
        _receiver.Close();
        _transport.Dispose();
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            UdpMulticastLog.Closed(_logger, _endpoint.GroupText, _endpoint.Port, MulticastStatistics);
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Whether a send failed because the bus was disposed under it: the runtime then reports a closed socket in several
    /// ways (a <c>NullReferenceException</c> from inside <c>Socket.SendToAsync</c>, <c>EPIPE</c> from <c>sendmmsg</c> after
    /// its shutdown, <c>EBADF</c>), which the caller must see as the <see cref="ObjectDisposedException"/> it is.
    /// </summary>
    private bool DisposedUnder(Exception ex) => IsDisposed && ex is not (ObjectDisposedException or OperationCanceledException or OutOfMemoryException);

    private ObjectDisposedException Disposed(Exception inner) =>
        new($"The UDP multicast bus on group {_endpoint.Describe()} was disposed while sending.", inner);

    // Inlined into the (fully optimised) send paths: as a separate method it was compiled again by the tiered JIT long
    // after the first frames (the harness's JIT probe named it).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ThrowIfFdDisabled(in CanMessage message)
    {
        if (message.IsFd && !_options.Fd)
        {
            ThrowFdDisabled();
        }
    }

    private void ThrowFdDisabled() =>
        throw new CanOperationException($"Cannot send a CAN FD frame on UDP multicast group {_endpoint.Describe()}: the bus has CAN FD disabled (Fd = false).");
}
