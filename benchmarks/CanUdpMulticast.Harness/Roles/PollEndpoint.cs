using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CanUdpMulticast.Harness.Native;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// Diagnostic baseline: the library's wait pattern without the library — a non-blocking <c>recv</c>, and when nothing is
/// queued a <c>poll</c> then <c>recv</c> again (P/Invoke) — against <see cref="RawEndpoint"/>'s one blocking receive.
/// </summary>
internal sealed unsafe class PollEndpoint : SyncEndpoint
{
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly RawEndpoint _sender;
    private readonly byte[] _buffer = GC.AllocateArray<byte>(4096, pinned: true);

    public PollEndpoint(IPAddress group, int port, int receiveBuffer)
    {
        _sender = new RawEndpoint(group, port, receiveBuffer, join: false);
        _socket = RawSockets.Open(group, port, receiveBuffer, kernelTimestamps: false);
        _fd = (int)_socket.SafeHandle.DangerousGetHandle();
    }

    public override void Send(byte kind) => _sender.Send(kind);

    public override int Receive(Span<byte> kinds)
    {
        fixed (byte* buffer = _buffer)
        {
            while (true)
            {
                var length = Libc.recv(_fd, buffer, 4096, Libc.MsgDontWait);
                if (length >= 0)
                {
                    kinds[0] = Datagram.KindOf(new ReadOnlySpan<byte>(buffer, (int)length));
                    return 1;
                }

                if (Marshal.GetLastPInvokeError() != Libc.EAgain)
                {
                    throw new InvalidOperationException("recv failed");
                }

                var poll = new Libc.PollFd { Fd = _fd, Events = 1 };
                if (Libc.poll(&poll, 1, (int)ReceiveTimeout.TotalMilliseconds) == 0)
                {
                    return 0;
                }
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        _socket.Dispose();
        _sender.Dispose();
        base.Dispose(disposing);
    }
}
