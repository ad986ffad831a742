using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// The transport for every platform: managed sockets, one datagram per system call, and the software clock for
/// timestamps (the runtime exposes no kernel receive time). Used where <see cref="Linux.LinuxMulticastTransport"/> is
/// not available.
/// </summary>
/// <remarks>
/// <see cref="WaitReadable"/> waits with <see cref="Socket.Poll(int, SelectMode)"/> in short slices, so even where closing a socket does
/// not wake a blocked reader (macOS UDP), <see cref="Close"/> ends it within one slice.
/// </remarks>
internal sealed class PortableMulticastTransport : IMulticastTransport
{
    private static readonly int PollSliceMicroseconds = (int)TimeSpan.FromMilliseconds(200).TotalMicroseconds;

    private readonly MulticastEndpoint _endpoint;
    private readonly ILogger _logger;
    private readonly Socket _socket;
    private readonly MulticastSender _sender;
    private readonly SocketAddress _source;
    private volatile bool _closed;
    private int _disposed;

    /// <summary>Opens both sockets.</summary>
    /// <param name="endpoint">The group and port.</param>
    /// <param name="options">The bus options.</param>
    /// <param name="logger">Where to log.</param>
    /// <exception cref="CanInitializationException">A socket could not be opened or configured; nothing is left open.</exception>
    public PortableMulticastTransport(MulticastEndpoint endpoint, UdpMulticastBusOptions options, ILogger logger)
    {
        if (options.TimestampSource == UdpMulticastTimestampSource.Kernel)
        {
            throw new CanInitializationException(
                "Kernel receive timestamps are only available on Linux; use TimestampSource Auto or Software here.");
        }

        _endpoint = endpoint;
        _logger = logger;
        _socket = MulticastSockets.OpenReceiveSocket(endpoint, options, logger);
        try
        {
            // Non-blocking: poll may report a datagram that a read then does not find (a bad checksum, or the asynchronous
            // readiness wait racing the reader); that read must not block.
            _socket.Blocking = false;
            _sender = new MulticastSender(endpoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        _source = new SocketAddress(endpoint.Family, SocketAddress.GetMaximumAddressSize(endpoint.Family));
    }

    /// <inheritdoc/>
    public int SendPort => _sender.LocalPort;

    /// <inheritdoc/>
    public bool KernelTimestamps => false;

    /// <inheritdoc/>
    /// <remarks>No kernel filter here: the bus skips its own echoes itself.</remarks>
    public long OwnEchoesFiltered => 0;

    /// <inheritdoc/>
    public void OwnEchoSkipped(in SourceAddress source)
    {
    }

    /// <inheritdoc/>
    public int BatchCapacity => 16;

    /// <inheritdoc/>
    public bool IsClosed => _closed;

    /// <inheritdoc/>
    public bool TryReadKernelDropCounter(out uint dropCounter)
    {
        dropCounter = 0;
        return false;
    }

    /// <inheritdoc/>
    public int ReceiveWaiting(DatagramBatch batch, int maxCount, TimeSpan timeout) => WaitReadable(timeout) ? ReceiveQueued(batch, maxCount) : 0;

    /// <inheritdoc/>
    public int ReceiveQueued(DatagramBatch batch, int maxCount)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var capacity = Math.Min(Math.Min(batch.Capacity, BatchCapacity), maxCount);
        var count = 0;
        try
        {
            // Available is the size of the next datagram (0 for none or an empty one; a zero poll tells those apart).
            while (count < capacity && !_closed && (_socket.Available > 0 || _socket.Poll(0, SelectMode.SelectRead))
                && ReceiveOne(batch, count))
            {
                count++;
            }
        }
        catch (Exception ex) when (_closed && ex is SocketException or ObjectDisposedException)
        {
            return 0;
        }
        catch (SocketException ex)
        {
            if (count > 0)
            {
                return count;
            }

            throw new CanOperationException(
                $"Receiving on UDP multicast group {_endpoint.Describe()} failed: {ex.Message} ({ex.SocketErrorCode}).", ex);
        }

        return _closed ? 0 : count;
    }

    /// <summary>Blocks until a datagram may be queued, the timeout elapses, or <see cref="Close"/> is called (which wakes it at once).</summary>
    /// <returns><see langword="true"/> when a datagram may be queued (spurious wake-ups allowed); <see langword="false"/> on timeout or when closed.</returns>
    private bool WaitReadable(TimeSpan timeout)
    {
        if (_closed)
        {
            return false;
        }

        // Waits in slices: where closing does not wake a blocked poll (macOS UDP), Close still ends the wait within one.
        var microseconds = timeout == Timeout.InfiniteTimeSpan
            ? PollSliceMicroseconds
            : (int)Math.Min(Math.Ceiling(timeout.TotalMicroseconds), PollSliceMicroseconds);
        try
        {
            var ready = _socket.Poll(microseconds, SelectMode.SelectRead);
            if (_closed)
            {
                return false;
            }

            // A slice that ended without data while time is left is a spurious wake-up: the caller checks its deadline and waits again.
            return ready || timeout == Timeout.InfiniteTimeSpan || timeout.TotalMicroseconds > PollSliceMicroseconds;
        }
        catch (Exception ex) when ((ex is SocketException or ObjectDisposedException) && _closed)
        {
            return false;
        }
        catch (SocketException ex)
        {
            throw new CanOperationException(
                $"Waiting on UDP multicast group {_endpoint.Describe()} failed: {ex.Message} ({ex.SocketErrorCode}).", ex);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> WaitReadableAsync(CancellationToken cancellationToken) =>
        SocketReadiness.WaitAsync(_socket, this, _endpoint, cancellationToken);

    /// <inheritdoc/>
    public void Send(ReadOnlySpan<byte> datagram, TimeSpan timeout) => _sender.Send(datagram, timeout);

    /// <inheritdoc/>
    public int SendBatch(OutgoingBatch batch, TimeSpan timeout) => _sender.SendEach(batch, timeout);

    /// <inheritdoc/>
    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken) =>
        _sender.SendAsync(datagram, cancellationToken);

    /// <inheritdoc/>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            // Wakes a blocked Poll at once on Linux and Windows; elsewhere the poll slice ends it.
            _socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Unconnected UDP sockets report ENOTCONN here (the wake-up still happens on Linux).
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

    private bool ReceiveOne(DatagramBatch batch, int index)
    {
        var source = _source;
        ref var entry = ref batch[index];
        entry.Timestamp = double.NaN;
        try
        {
            entry.Length = _socket.ReceiveFrom(batch.Slot(index).Span, SocketFlags.None, source);
            entry.Truncated = false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
        {
            // Another receiver took it first.
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.MessageSize)
        {
            // Larger than a slot (python-can's 4096-byte buffer): reported as oversized by the bus.
            entry.Length = DatagramBatch.SlotSize;
            entry.Truncated = true;
        }

        entry.Source = SourceAddress.FromSockaddr(source.Buffer.Span[..source.Size], _endpoint.Family);
        return true;
    }
}
