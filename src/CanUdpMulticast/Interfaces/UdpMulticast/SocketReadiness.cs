using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// Waits asynchronously until a datagram is queued on a socket without taking it: a zero-byte <c>MSG_PEEK</c> receive
/// through the runtime's socket engine (epoll on Linux), which completes as soon as a datagram is there. The datagrams are
/// then read with the transport's own non-blocking receive (on Linux <c>recvmmsg</c>, which also returns the kernel
/// timestamps the runtime's receive calls cannot). Allocation-free in steady state (the runtime reuses its per-socket
/// receive state; this method's state machine is pooled).
/// </summary>
internal static class SocketReadiness
{
    /// <summary>Waits until <paramref name="socket"/> has a datagram queued or <paramref name="transport"/> is closed.</summary>
    /// <param name="socket">The receive socket.</param>
    /// <param name="transport">Its transport (for <see cref="IMulticastTransport.IsClosed"/>).</param>
    /// <param name="endpoint">For error messages.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when a datagram may be queued; <see langword="false"/> when closed.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<bool> WaitAsync(Socket socket, IMulticastTransport transport, MulticastEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (transport.IsClosed)
        {
            return false;
        }

        try
        {
            // Completes with 0 bytes when a datagram is queued (or at end-of-file after Close shut the socket down).
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
            return !transport.IsClosed;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        catch (SocketException) when (transport.IsClosed)
        {
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.MessageSize)
        {
            // Some platforms report a datagram larger than the (empty) peek buffer this way: it is queued.
            return true;
        }
        catch (SocketException ex)
        {
            throw new CanOperationException(
                $"Waiting for datagrams on UDP multicast group {endpoint.Describe()} failed: {ex.Message} ({ex.SocketErrorCode}).", ex);
        }
    }
}
