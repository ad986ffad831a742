using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CanUdpMulticast.Harness.Native;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// Diagnostic baseline: the library's system calls without the library — sends from a separate socket, and receives
/// with a non-blocking <c>recv</c> first and, when nothing is queued, one blocking <c>recv</c> (P/Invoke) — against
/// <see cref="RawEndpoint"/>'s single socket and blocking receives. The gap between this row and the library's is the
/// library's own cost (decoding, filtering, timestamps, bookkeeping).
/// </summary>
internal sealed unsafe class LibraryPatternEndpoint : SyncEndpoint
{
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly RawEndpoint _sender;
    private readonly byte[] _buffer = GC.AllocateArray<byte>(4096, pinned: true);

    public LibraryPatternEndpoint(IPAddress group, int port, int receiveBuffer)
    {
        _sender = new RawEndpoint(group, port, receiveBuffer, join: false);
        _socket = RawSockets.Open(group, port, receiveBuffer, kernelTimestamps: false);
        _fd = (int)_socket.SafeHandle.DangerousGetHandle();

        // SO_RCVTIMEO so the blocking recv returns EAGAIN after the timeout.
        Span<byte> timeval = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(timeval[8..], (long)ReceiveTimeout.TotalMicroseconds);
        _socket.SetRawSocketOption(Libc.SolSocket, Libc.SoRcvTimeo, timeval);
    }

    public override void Send(byte kind) => _sender.Send(kind);

    public override int Receive(Span<byte> kinds)
    {
        fixed (byte* buffer = _buffer)
        {
            var length = Libc.recv(_fd, buffer, 4096, Libc.MsgDontWait);
            if (length < 0)
            {
                if (Marshal.GetLastPInvokeError() != Libc.EAgain)
                {
                    throw new InvalidOperationException("recv failed");
                }

                length = Libc.recv(_fd, buffer, 4096, 0);
                if (length < 0)
                {
                    return Marshal.GetLastPInvokeError() == Libc.EAgain ? 0 : throw new InvalidOperationException("recv failed");
                }
            }

            kinds[0] = Datagram.KindOf(new ReadOnlySpan<byte>(buffer, (int)length));
            return 1;
        }
    }

    protected override void Dispose(bool disposing)
    {
        _socket.Dispose();
        _sender.Dispose();
        base.Dispose(disposing);
    }
}
