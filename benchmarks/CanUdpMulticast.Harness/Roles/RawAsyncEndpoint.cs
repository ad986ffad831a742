using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// Baseline for the asynchronous APIs: .NET <c>Socket.SendToAsync</c>/<c>ReceiveFromAsync</c> (SocketAddress overloads,
/// no allocation) with pre-encoded datagrams, on one socket: the runtime's socket engine without the library.
/// </summary>
internal sealed class RawAsyncEndpoint : AsyncEndpoint, IDisposable
{
    private readonly Socket _socket;
    private readonly SocketAddress _group;
    private readonly SocketAddress _from;
    private readonly byte[][] _datagrams = new byte[8][];
    private readonly byte[] _buffer = GC.AllocateArray<byte>(4096, pinned: true);

    public RawAsyncEndpoint(IPAddress group, int port, int receiveBuffer)
    {
        _socket = RawSockets.Open(group, port, receiveBuffer, kernelTimestamps: false);
        _group = new IPEndPoint(group, port).Serialize();
        _from = new IPEndPoint(IPAddress.Any, 0).Serialize();
        for (byte kind = 1; kind < _datagrams.Length; kind++)
        {
            _datagrams[kind] = Datagram.Create(kind);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask SendAsync(byte kind, CancellationToken cancellationToken) =>
        await _socket.SendToAsync(_datagrams[kind], SocketFlags.None, _group, cancellationToken).ConfigureAwait(false);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<byte> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, _from, cancellationToken).ConfigureAwait(false);
        return Datagram.KindOf(_buffer.AsSpan(0, length));
    }

    public void Dispose() => _socket.Dispose();
}
