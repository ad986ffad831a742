using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>Baseline (a): .NET <c>Socket.SendTo</c>/<c>ReceiveFrom</c> (SocketAddress overloads, no allocation) with pre-encoded datagrams.</summary>
internal sealed class RawEndpoint : SyncEndpoint
{
    private readonly Socket _socket;
    private readonly SocketAddress _group;
    private readonly SocketAddress _from;
    private readonly byte[][] _datagrams = new byte[8][];
    private readonly byte[] _buffer = GC.AllocateArray<byte>(4096, pinned: true);

    public RawEndpoint(IPAddress group, int port, int receiveBuffer, bool join = true)
    {
        _socket = RawSockets.Open(group, port, receiveBuffer, kernelTimestamps: false, join);
        _socket.ReceiveTimeout = (int)ReceiveTimeout.TotalMilliseconds;
        _group = new IPEndPoint(group, port).Serialize();
        _from = new IPEndPoint(IPAddress.Any, 0).Serialize();
        for (byte kind = 1; kind < _datagrams.Length; kind++)
        {
            _datagrams[kind] = Datagram.Create(kind);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Send(byte kind) => _socket.SendTo(_datagrams[kind], SocketFlags.None, _group);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Receive(Span<byte> kinds)
    {
        int length;
        try
        {
            length = _socket.ReceiveFrom(_buffer, SocketFlags.None, _from);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return 0;
        }

        kinds[0] = Datagram.KindOf(_buffer.AsSpan(0, length));
        return 1;
    }

    protected override void Dispose(bool disposing)
    {
        _socket.Dispose();
        base.Dispose(disposing);
    }
}
