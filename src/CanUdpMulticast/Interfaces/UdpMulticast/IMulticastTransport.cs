namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// The socket side of a <see cref="UdpMulticastBus"/>: a receive socket joined to the group and a separate send socket
/// (its own ephemeral port, so the bus recognises its own frames by their source). Platform code lives behind this
/// interface: <see cref="Linux.LinuxMulticastTransport"/> (recvmmsg, kernel timestamps and drop counts) and
/// <see cref="PortableMulticastTransport"/> (managed sockets, software timestamps).
/// </summary>
/// <remarks>
/// <see cref="Receive"/> is called by one thread at a time; <see cref="Send"/>/<see cref="SendAsync"/> by any number
/// of threads concurrently with it. <see cref="Close"/> may be called from any thread; <see cref="IDisposable.Dispose"/>
/// only after no <see cref="Receive"/> call is running any more.
/// </remarks>
internal interface IMulticastTransport : IDisposable
{
    /// <summary>The UDP port of the send socket: datagrams from this port and a local address are this bus's own.</summary>
    int SendPort { get; }

    /// <summary>Whether received datagrams carry the kernel's receive time.</summary>
    bool KernelTimestamps { get; }

    /// <summary>The kernel's cumulative count of datagrams it dropped for lack of buffer space, as last reported (Linux <c>SO_RXQ_OVFL</c>; 0 elsewhere).</summary>
    uint KernelDropCounter { get; }

    /// <summary>The most datagrams one <see cref="Receive"/> call returns.</summary>
    int BatchCapacity { get; }

    /// <summary>
    /// Blocks until at least one datagram arrived and puts the datagrams that are there (up to the batch's capacity) in
    /// <paramref name="batch"/>.
    /// </summary>
    /// <param name="batch">Where to put them.</param>
    /// <returns>The number of datagrams; 0 once <see cref="Close"/> was called.</returns>
    /// <exception cref="CanOperationException">The socket failed (the caller may try again).</exception>
    int Receive(DatagramBatch batch);

    /// <summary>Sends one datagram to the group.</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="timeout">How long to wait while the socket's send buffer is full; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <exception cref="CanTimeoutException">The send buffer stayed full.</exception>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    /// <exception cref="ObjectDisposedException">The transport is closed.</exception>
    void Send(ReadOnlySpan<byte> datagram, TimeSpan timeout);

    /// <summary>Sends a batch of datagrams to the group (Linux: <c>sendmmsg</c>, up to 64 per system call).</summary>
    /// <param name="batch">The datagrams.</param>
    /// <param name="timeout">How long to wait in total while the socket's send buffer is full.</param>
    /// <returns>How many were sent: all, or fewer when the time ran out after some were sent.</returns>
    /// <exception cref="CanTimeoutException">None could be sent in time.</exception>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    int SendBatch(OutgoingBatch batch, TimeSpan timeout);

    /// <summary>Sends one datagram to the group asynchronously.</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="cancellationToken">Cancels waiting for room in the send buffer.</param>
    /// <returns>A task that completes when the datagram is sent.</returns>
    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken);

    /// <summary>Stops receiving for good: wakes a blocked <see cref="Receive"/> at once and leaves the group. Idempotent.</summary>
    void Close();
}
