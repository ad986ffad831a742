using System.Net;
using System.Net.Sockets;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>Opens a socket the way python-can 4.1.0 does (one socket that sends and receives), with hop limit 0.</summary>
internal static class RawSockets
{
    private const int SoRcvBufForce = 33;

    public static Socket Open(IPAddress group, int port, int receiveBuffer, bool kernelTimestamps, bool join = true)
    {
        if (group.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("The harness uses an IPv4 group (routed via lo in the namespace).");
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 0);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (kernelTimestamps)
            {
                socket.SetRawSocketOption(Native.Libc.SolSocket, Native.Libc.SoTimestampNs, BitConverter.GetBytes(1));
            }

            if (receiveBuffer > 0)
            {
                socket.ReceiveBufferSize = receiveBuffer;
                if (socket.ReceiveBufferSize < receiveBuffer)
                {
                    // Above net.core.rmem_max (a backlog run asks for hundreds of MiB): root may force it, as the library does.
                    socket.SetRawSocketOption(Native.Libc.SolSocket, SoRcvBufForce, BitConverter.GetBytes(receiveBuffer));
                }
            }

            // IP_MULTICAST_ALL = 0: only this group's traffic, even if another run's group shares the port.
            socket.SetRawSocketOption(0, 49, BitConverter.GetBytes(0));
            socket.Bind(new IPEndPoint(IPAddress.Any, join ? port : 0));
            if (join)
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, IPAddress.Any));
            }
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
