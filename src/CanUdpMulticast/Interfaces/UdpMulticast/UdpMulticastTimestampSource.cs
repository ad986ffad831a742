namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>Where a <see cref="UdpMulticastBus"/> takes the receive timestamps of its frames from.</summary>
public enum UdpMulticastTimestampSource
{
    /// <summary>The kernel's receive time where the platform offers it (Linux <c>SO_TIMESTAMPNS</c>), else the software clock.</summary>
    Auto,

    /// <summary>
    /// The kernel's receive time (Linux <c>SO_TIMESTAMPNS</c>, nanosecond resolution, taken when the datagram reached the
    /// socket, so time spent queued is not added). Opening fails where the platform lacks it.
    /// </summary>
    Kernel,

    /// <summary>The wall clock read when the bus takes the datagram from the socket.</summary>
    Software,
}
