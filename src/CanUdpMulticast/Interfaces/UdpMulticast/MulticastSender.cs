using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// The send side of a transport: a non-blocking socket on an ephemeral port and the group's pre-built address, so a
/// send is one system call and allocates nothing. Thread-safe. The Linux transport sends through its
/// <see cref="Linux.LinuxSender"/> on this socket (<c>sendto</c>/<c>sendmmsg</c> directly) and uses this type for the
/// socket, the asynchronous send and the wait for room.
/// </summary>
internal sealed class MulticastSender : IDisposable
{
    private readonly Socket _socket;
    private readonly SocketAddress _group;
    private readonly MulticastEndpoint _endpoint;

    /// <summary>Opens the send socket.</summary>
    /// <param name="endpoint">Where to send.</param>
    /// <exception cref="CanInitializationException">The socket could not be opened.</exception>
    public MulticastSender(MulticastEndpoint endpoint)
    {
        _endpoint = endpoint;
        _socket = MulticastSockets.OpenSendSocket(endpoint, out var sourceAddress);
        SourceAddress = sourceAddress;
        _group = new IPEndPoint(endpoint.Group, endpoint.Port).Serialize();
        LocalPort = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>The address the kernel put on datagrams to the group when the socket was opened; <see langword="null"/> when unknown.</summary>
    public IPAddress? SourceAddress { get; }

    /// <summary>The ephemeral port the socket sends from.</summary>
    public int LocalPort { get; }

    /// <summary>Sends one datagram, waiting up to <paramref name="timeout"/> while the send buffer is full (the portable path).</summary>
    /// <param name="datagram">The payload.</param>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <exception cref="CanTimeoutException">The send buffer stayed full for <paramref name="timeout"/>.</exception>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Send(ReadOnlySpan<byte> datagram, TimeSpan timeout)
    {
        var start = 0L;
        while (true)
        {
            try
            {
                _socket.SendTo(datagram, SocketFlags.None, _group);
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
            {
                // The send buffer is full: wait for room below.
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.Interrupted)
            {
                // A signal arrived during the call (EINTR): nothing was sent; try again.
                continue;
            }
            catch (SocketException ex)
            {
                throw Failed(ex);
            }

            if (!WaitForRoom(timeout, ref start))
            {
                throw SendBufferStayedFull(timeout);
            }
        }
    }

    /// <summary>
    /// Waits until the send buffer has room (<c>poll</c> for writable), for at most what is left of
    /// <paramref name="timeout"/> since the first wait of this send.
    /// </summary>
    /// <param name="timeout">The caller's whole timeout; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <param name="start">When this send first waited: 0 before its first wait (then set here).</param>
    /// <returns><see langword="false"/> when the time is up (nothing waited); <see langword="true"/> after a wait, when
    /// the caller tries again (room is likely, not promised: another thread may take it first).</returns>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    internal bool WaitForRoom(TimeSpan timeout, ref long start)
    {
        var waitMicroseconds = -1;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            if (start == 0)
            {
                start = Stopwatch.GetTimestamp();
            }

            var remaining = timeout - Stopwatch.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            waitMicroseconds = (int)Math.Min((remaining.Ticks / 10) + 1, int.MaxValue);
        }

        try
        {
            _socket.Poll(waitMicroseconds, SelectMode.SelectWrite);
        }
        catch (SocketException ex)
        {
            throw Failed(ex);
        }

        return true;
    }

    /// <summary>The error for a send that found no room in the send buffer within its timeout.</summary>
    /// <param name="timeout">The timeout.</param>
    /// <returns>The exception to throw.</returns>
    internal CanTimeoutException SendBufferStayedFull(TimeSpan timeout) =>
        new($"Could not send to UDP multicast group {_endpoint.Describe()} within {timeout.TotalMilliseconds} ms: the socket's send buffer stayed full.");

    /// <summary>Sends one datagram asynchronously.</summary>
    /// <param name="datagram">The payload.</param>
    /// <param name="cancellationToken">Cancels waiting for room in the send buffer.</param>
    /// <returns>A task that completes when the datagram is sent.</returns>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, _group, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw Failed(ex);
        }
    }

    /// <summary>The send socket (for the Linux batch path).</summary>
    internal Socket Socket => _socket;

    /// <summary>The group's address in the platform's native <c>sockaddr</c> layout (.NET keeps it in that form).</summary>
    internal ReadOnlySpan<byte> GroupSockaddr => _group.Buffer.Span[.._group.Size];

    /// <summary>Sends a batch one datagram per system call (the portable path).</summary>
    /// <param name="batch">The datagrams.</param>
    /// <param name="timeout">The longest wait for room, per datagram.</param>
    /// <returns>How many were sent: all of them (a failure throws).</returns>
    public int SendEach(OutgoingBatch batch, TimeSpan timeout)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            Send(batch.Datagram(i), timeout);
        }

        return batch.Count;
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();

    private CanOperationException Failed(SocketException ex) =>
        new($"Could not send to UDP multicast group {_endpoint.Describe()}: {ex.Message} ({ex.SocketErrorCode}).", ex);
}
