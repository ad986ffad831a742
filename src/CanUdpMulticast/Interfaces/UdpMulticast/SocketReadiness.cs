using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// Waits asynchronously until a datagram is queued on a socket without taking it: a zero-byte <c>MSG_PEEK</c> receive
/// through the runtime's socket engine (epoll on Linux), which completes as soon as a datagram is there. The datagrams are
/// then read with the transport's own non-blocking receive (on Linux <c>recvmmsg</c>, which also returns the kernel
/// timestamps the runtime's receive calls cannot). Allocation-free in steady state (the runtime reuses its per-socket
/// receive state; the state machine, <see cref="WaitStateMachine"/>, is pooled).
/// </summary>
internal static partial class SocketReadiness
{
    /// <summary>Waits until <paramref name="socket"/> has a datagram queued or <paramref name="transport"/> is closed.</summary>
    /// <param name="socket">The receive socket.</param>
    /// <param name="transport">Its transport (for <see cref="IMulticastTransport.IsClosed"/>).</param>
    /// <param name="endpoint">For error messages.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when a datagram may be queued; <see langword="false"/> when closed.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ValueTask<bool> WaitAsync(Socket socket, IMulticastTransport transport, MulticastEndpoint endpoint, CancellationToken cancellationToken) =>
        WaitStateMachine.Run(socket, transport, endpoint, cancellationToken);
}
