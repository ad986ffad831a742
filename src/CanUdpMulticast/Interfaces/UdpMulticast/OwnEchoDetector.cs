using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// Recognises the bus's own frames coming back through multicast loopback: they come from the send socket's port and
/// from an address of this host. The port is unique on this host (the send socket does not share it), but another host
/// may send from the same port number, so the address is checked too: an address is local when a socket can be bound
/// to it, which is the kernel's own answer. The answer is cached, so the steady state is a compare of two small values.
/// </summary>
/// <remarks>Used under the bus's receive lock; not thread-safe.</remarks>
internal sealed class OwnEchoDetector(AddressFamily family, int sendPort)
{
    private readonly ushort _sendPort = (ushort)sendPort;
    private SourceAddress _lastLocal;
    private SourceAddress _lastForeign;
    private bool _hasLocal;
    private bool _hasForeign;

    /// <summary>Whether a datagram from <paramref name="source"/> is this bus's own.</summary>
    /// <param name="source">The sender.</param>
    /// <returns>Whether it is an own echo.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsOwn(in SourceAddress source)
    {
        if (source.Port != _sendPort || source.Family != family)
        {
            return false;
        }

        if (_hasLocal && source.Equals(_lastLocal))
        {
            return true;
        }

        if (_hasForeign && source.Equals(_lastForeign))
        {
            return false;
        }

        var local = IsLocalAddress(source.ToIPAddress());
        if (local)
        {
            _lastLocal = source;
            _hasLocal = true;
        }
        else
        {
            _lastForeign = source;
            _hasForeign = true;
        }

        return local;
    }

    private static bool IsLocalAddress(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        try
        {
            using var probe = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(address, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
