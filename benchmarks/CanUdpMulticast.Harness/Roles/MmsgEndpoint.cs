using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CanUdpMulticast.Harness.Native;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// Baseline (b): raw <c>sendmmsg</c>/<c>recvmmsg</c> through P/Invoke, 64 datagrams per call, every received datagram
/// with its <c>SO_TIMESTAMPNS</c> control message parsed: the batch limit of what any .NET code can do here.
/// </summary>
internal sealed unsafe class MmsgEndpoint : SyncEndpoint
{
    private const int SlotSize = 4096;
    private const int ControlSize = 32; // CMSG_SPACE(sizeof(struct timespec)) on 64-bit

    private readonly Socket _socket;
    private readonly int _fd;
    private readonly byte* _native;
    private readonly Libc.MMsgHdr* _receive;
    private readonly Libc.IoVec* _receiveIov;
    private readonly byte* _receiveBuffers;
    private readonly byte* _control;
    private readonly Libc.MMsgHdr*[] _send = new Libc.MMsgHdr*[8];
    private long _timestamped;
    private double _lastTimestamp;

    public MmsgEndpoint(IPAddress group, int port, int receiveBuffer)
    {
        Libc.CheckLayouts();
        _socket = RawSockets.Open(group, port, receiveBuffer, kernelTimestamps: true);
        _fd = (int)_socket.SafeHandle.DangerousGetHandle();
        // SO_RCVTIMEO so a blocking recvmmsg returns EAGAIN after the timeout.
        Span<byte> timeval = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(timeval, 0);
        BinaryPrimitives.WriteInt64LittleEndian(timeval[8..], (long)ReceiveTimeout.TotalMicroseconds);
        _socket.SetRawSocketOption(Libc.SolSocket, Libc.SoRcvTimeo, timeval);

        var sendKinds = _send.Length;
        var size = (BatchSize * (sizeof(Libc.MMsgHdr) + sizeof(Libc.IoVec) + SlotSize + ControlSize))
            + (sendKinds * ((BatchSize * (sizeof(Libc.MMsgHdr) + sizeof(Libc.IoVec))) + 16 + 256));
        _native = (byte*)NativeMemory.AlignedAlloc((nuint)size, 64);
        NativeMemory.Clear(_native, (nuint)size);
        var cursor = _native;
        _receive = (Libc.MMsgHdr*)cursor;
        cursor += BatchSize * sizeof(Libc.MMsgHdr);
        _receiveIov = (Libc.IoVec*)cursor;
        cursor += BatchSize * sizeof(Libc.IoVec);
        _control = cursor;
        cursor += BatchSize * ControlSize;
        _receiveBuffers = cursor;
        cursor += BatchSize * SlotSize;
        for (var i = 0; i < BatchSize; i++)
        {
            _receiveIov[i] = new Libc.IoVec { Base = _receiveBuffers + (i * SlotSize), Length = SlotSize };
            _receive[i].Header.Iov = &_receiveIov[i];
            _receive[i].Header.IovLength = 1;
            _receive[i].Header.Control = _control + (i * ControlSize);
        }

        for (byte kind = 1; kind < sendKinds; kind++)
        {
            var headers = (Libc.MMsgHdr*)cursor;
            cursor += BatchSize * sizeof(Libc.MMsgHdr);
            var iov = (Libc.IoVec*)cursor;
            cursor += BatchSize * sizeof(Libc.IoVec);
            var address = cursor; // struct sockaddr_in
            cursor += 16;
            var payload = cursor;
            cursor += 256;
            *(ushort*)address = (ushort)AddressFamily.InterNetwork;
            BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(address + 2, 2), (ushort)port);
            group.TryWriteBytes(new Span<byte>(address + 4, 4), out _);
            var datagram = Datagram.Create(kind);
            datagram.CopyTo(new Span<byte>(payload, datagram.Length));
            for (var i = 0; i < BatchSize; i++)
            {
                iov[i] = new Libc.IoVec { Base = payload, Length = (nuint)datagram.Length };
                headers[i].Header.Name = address;
                headers[i].Header.NameLength = 16;
                headers[i].Header.Iov = &iov[i];
                headers[i].Header.IovLength = 1;
            }

            _send[kind] = headers;
        }
    }

    public override bool SendsInBatches => true;

    public override void Send(byte kind) => SendMany(kind, 1);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void SendMany(byte kind, int count)
    {
        var headers = _send[kind];
        var done = 0;
        while (done < count)
        {
            var sent = Libc.sendmmsg(_fd, headers + done, (uint)(count - done), 0);
            if (sent < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EIntr)
                {
                    continue;
                }

                throw new InvalidOperationException($"sendmmsg failed: errno {errno}");
            }

            done += sent;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Receive(Span<byte> kinds)
    {
        var capacity = Math.Min(kinds.Length, BatchSize);
        for (var i = 0; i < capacity; i++)
        {
            _receive[i].Header.ControlLength = ControlSize;
        }

        var count = Libc.recvmmsg(_fd, _receive, (uint)capacity, Libc.MsgWaitForOne, null);
        if (count <= 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (count == 0 || errno is Libc.EAgain or Libc.EIntr)
            {
                return 0;
            }

            throw new InvalidOperationException($"recvmmsg failed: errno {errno}");
        }

        for (var i = 0; i < count; i++)
        {
            var length = (int)_receive[i].Length;
            kinds[i] = Datagram.KindOf(new ReadOnlySpan<byte>(_receiveBuffers + (i * SlotSize), length));
            // struct cmsghdr { size_t len; int level; int type; } then struct timespec { long sec; long nsec; }
            var control = _control + (i * ControlSize);
            if (_receive[i].Header.ControlLength >= 32 && *(int*)(control + 8) == Libc.SolSocket && *(int*)(control + 12) == Libc.SoTimestampNs)
            {
                _timestamped++;
                _lastTimestamp = *(long*)(control + 16) + (*(long*)(control + 24) * 1e-9);
            }
        }

        return count;
    }

    public override IEnumerable<(string Key, double Value)> Fields()
    {
        yield return ("kernel_timestamped", _timestamped);
        yield return ("last_kernel_timestamp", _lastTimestamp);
    }

    protected override void Dispose(bool disposing)
    {
        _socket.Dispose();
        NativeMemory.AlignedFree(_native);
        base.Dispose(disposing);
    }
}
