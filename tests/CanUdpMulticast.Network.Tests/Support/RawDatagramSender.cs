using System.Net;
using System.Net.Sockets;

namespace CanUdpMulticast.Network.Tests.Support;

/// <summary>A plain UDP socket that puts arbitrary bytes into a group, as anyone on the link could (hop limit 0).</summary>
public sealed class RawDatagramSender : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _group;

    public RawDatagramSender(string group, int port)
    {
        _group = new IPEndPoint(IPAddress.Parse(group), port);
        _socket = new Socket(_group.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var level = _group.AddressFamily == AddressFamily.InterNetworkV6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;
        _socket.SetSocketOption(level, SocketOptionName.MulticastTimeToLive, 0);
    }

    public void Send(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, _group);

    public void Dispose() => _socket.Dispose();
}
