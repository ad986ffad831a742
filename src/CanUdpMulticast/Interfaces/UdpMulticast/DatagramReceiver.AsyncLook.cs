namespace CanUdpMulticast.Interfaces.UdpMulticast;

internal sealed partial class DatagramReceiver
{
    /// <summary>What one look of an asynchronous receive found (<see cref="LookForAsyncReceive"/>).</summary>
    private enum AsyncLook
    {
        /// <summary>A frame was taken.</summary>
        Frame,

        /// <summary>The receiver is closed: the receive ends with no frame.</summary>
        Closed,

        /// <summary>A (synchronous) reader is waiting in the socket: wait until it is done, then look again.</summary>
        WaitForReader,

        /// <summary>Nobody reads: sleep on the socket's readiness, then look again.</summary>
        WaitForReadable,
    }
}
