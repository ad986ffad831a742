namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// The socket side of a <see cref="UdpMulticastBus"/>: a receive socket joined to the group and a separate send socket
/// (its own ephemeral port, so the bus recognises its own frames by their source). Platform code lives behind this
/// interface: <see cref="Linux.LinuxMulticastTransport"/> (recvmmsg, kernel timestamps and drop counts) and
/// <see cref="PortableMulticastTransport"/> (managed sockets, software timestamps).
/// </summary>
/// <remarks>
/// The receive calls (<see cref="ReceiveQueued"/>, <see cref="ReceiveWaiting"/>) are made by one thread at a time: the
/// <see cref="DatagramReceiver"/> lets only one thread read the socket. <see cref="WaitReadableAsync"/>,
/// <see cref="Send"/>, <see cref="SendBatch"/> and <see cref="SendAsync"/> may be called by any number of threads
/// concurrently. <see cref="Close"/> may be called from any thread and wakes every waiter; <see cref="IDisposable.Dispose"/>
/// closes the sockets (a call still running keeps the descriptor alive until it returns).
/// </remarks>
internal interface IMulticastTransport : IDisposable
{
    /// <summary>The UDP port of the send socket: datagrams from this port and a local address are this bus's own.</summary>
    int SendPort { get; }

    /// <summary>Whether received datagrams carry the kernel's receive time.</summary>
    bool KernelTimestamps { get; }

    /// <summary>The most datagrams one <see cref="ReceiveQueued"/> call returns.</summary>
    int BatchCapacity { get; }

    /// <summary>Whether <see cref="Close"/> was called.</summary>
    bool IsClosed { get; }

    /// <summary>
    /// Asks the kernel for the socket's cumulative drop count now (Linux <c>SO_MEMINFO</c>, one system call), without the
    /// own echoes a kernel filter dropped. The receiver polls it while receiving and whenever statistics are read.
    /// </summary>
    /// <param name="dropCounter">The count: a 32-bit counter that wraps.</param>
    /// <returns>Whether the platform reports it.</returns>
    bool TryReadKernelDropCounter(out uint dropCounter);

    /// <summary>
    /// Own frames a kernel filter dropped before they reached the bus (Linux, when the bus does not return its own frames;
    /// see <see cref="Linux.OwnEchoFilter"/>): frames sent whose echo the bus has not seen. 0 where there is no filter.
    /// </summary>
    long OwnEchoesFiltered { get; }

    /// <summary>The bus skipped one of its own echoes: the transport may install a kernel filter for the ones that follow.</summary>
    /// <param name="source">The echo's source (the send socket's address and port).</param>
    void OwnEchoSkipped(in SourceAddress source);

    /// <summary>
    /// Takes the datagrams that are already queued in the socket, without waiting, into the batch from slot 0 on.
    /// </summary>
    /// <param name="batch">Where to put them.</param>
    /// <param name="maxCount">The most datagrams to take (at most the batch's capacity and <see cref="BatchCapacity"/>).</param>
    /// <returns>The number of datagrams taken; 0 when none is queued or the transport is closed.</returns>
    /// <exception cref="CanOperationException">The socket failed (the caller may try again).</exception>
    int ReceiveQueued(DatagramBatch batch, int maxCount);

    /// <summary>
    /// Waits until a datagram arrives, then takes it and what else is queued (up to <paramref name="maxCount"/>) into the
    /// batch from slot 0 on, in as few system calls as the platform allows (Linux: one blocking <c>recvmmsg</c> with
    /// <c>MSG_WAITFORONE</c>, as many system calls as a blocking <c>recvfrom</c>).
    /// </summary>
    /// <param name="batch">Where to put the datagrams.</param>
    /// <param name="maxCount">The most datagrams to take.</param>
    /// <param name="timeout">The longest wait for the first; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <returns>The number taken; 0 on timeout, when closed, or on a spurious wake-up (the caller re-checks its deadline).</returns>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    int ReceiveWaiting(DatagramBatch batch, int maxCount, TimeSpan timeout);

    /// <summary>Waits asynchronously until a datagram may be queued or <see cref="Close"/> is called.</summary>
    /// <param name="cancellationToken">Cancels the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns><see langword="true"/> when a datagram may be queued; <see langword="false"/> when closed.</returns>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    ValueTask<bool> WaitReadableAsync(CancellationToken cancellationToken);

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

    /// <summary>Stops receiving for good: wakes every <see cref="ReceiveWaiting"/>/<see cref="WaitReadableAsync"/> at once and leaves the group. Idempotent.</summary>
    void Close();
}
