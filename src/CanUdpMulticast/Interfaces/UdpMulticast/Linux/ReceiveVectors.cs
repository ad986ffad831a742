using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast.Linux;

/// <summary>
/// The kernel-facing side of <c>recvmmsg(2)</c> for a fixed number of slots: message headers, I/O vectors, sender
/// address and control buffers, all in arrays on the pinned object heap owned by this object, so nothing the kernel
/// writes into can move or be freed while a call runs. Not thread-safe: one call at a time per instance.
/// </summary>
internal sealed unsafe class ReceiveVectors
{
    private const int NameSize = 32;

    private readonly LinuxInterop.MMsgHdr[] _headers;
    private readonly LinuxInterop.IoVec[] _iovecs;
    private readonly byte[] _names;
    private readonly byte[] _control;
    private readonly int _controlSize;
    private readonly AddressFamily _family;
    private DatagramBatch? _boundBatch;
    private int _written;              // headers the last call wrote back into (they need a reset before the next call)
    private int _fresh;                // headers [0, _fresh) have been reset since Bind; the kernel changes only returned ones

    /// <summary>Allocates the pinned storage for <paramref name="capacity"/> datagrams.</summary>
    /// <param name="capacity">The most datagrams one call receives.</param>
    /// <param name="family">The address family of the senders.</param>
    public ReceiveVectors(int capacity, AddressFamily family)
    {
        Capacity = capacity;
        _family = family;
        _controlSize = ControlMessages.Align(ControlMessages.BufferSize);
        _headers = GC.AllocateArray<LinuxInterop.MMsgHdr>(capacity, pinned: true);
        _iovecs = GC.AllocateArray<LinuxInterop.IoVec>(capacity, pinned: true);
        _names = GC.AllocateArray<byte>(capacity * NameSize, pinned: true);
        _control = GC.AllocateArray<byte>(capacity * _controlSize, pinned: true);
    }

    /// <summary>The most datagrams one call receives.</summary>
    public int Capacity { get; }

    /// <summary>
    /// One <c>recvmmsg</c> call (<c>recvmsg</c> for one datagram) into the first <paramref name="count"/> slots of <paramref name="batch"/>.
    /// </summary>
    /// <param name="fd">The socket (kept alive by the caller for the duration of the call).</param>
    /// <param name="batch">Where the payloads go.</param>
    /// <param name="count">The most datagrams to take (at most <see cref="Capacity"/>).</param>
    /// <param name="flags">The <c>recvmmsg</c> flags (e.g. <c>MSG_DONTWAIT</c>).</param>
    /// <param name="errno">The error number when the result is negative.</param>
    /// <returns>The number of datagrams received, or −1.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Receive(int fd, DatagramBatch batch, int count, int flags, out int errno)
    {
        Bind(batch);

        // The kernel writes back only into the headers of the datagrams it returned: reset those and the ones never used,
        // not all 64 on every call (a waiting receive usually returns one datagram).
        for (var i = 0; i < count; i++)
        {
            if (i == _written)
            {
                i = Math.Max(i, _fresh);
                if (i >= count)
                {
                    break;
                }
            }

            ref var entry = ref _headers[i];
            entry.Header.NameLength = NameSize;
            entry.Header.ControlLength = (nuint)_controlSize;
            entry.Header.Flags = 0;
            entry.Length = 0;
        }

        _fresh = Math.Max(_fresh, count);
        var headers = (LinuxInterop.MMsgHdr*)Marshal.UnsafeAddrOfPinnedArrayElement(_headers, 0);
        int received;
        if (count == 1)
        {
            // One datagram: recvmsg, the same wait without recvmmsg's per-call overhead (measured in docs/benchmarks.md).
            var length = LinuxInterop.RecvMsg(fd, &headers->Header, flags & ~LinuxInterop.MSG_WAITFORONE);
            headers->Length = length < 0 ? 0 : (uint)length;
            received = length < 0 ? -1 : 1;
        }
        else
        {
            received = LinuxInterop.RecvMMsg(fd, headers, (uint)count, flags, null);
        }

        errno = received < 0 ? Marshal.GetLastPInvokeError() : 0;
        _written = Math.Max(received, 0);
        return received;
    }

    /// <summary>
    /// Fills the batch entries of the datagrams the last <see cref="Receive"/> returned: length, truncation, sender,
    /// kernel timestamp. Stops at the end-of-file marker a shut-down socket returns.
    /// </summary>
    /// <param name="batch">The batch the call received into.</param>
    /// <param name="received">What <see cref="Receive"/> returned.</param>
    /// <returns>The number of real datagrams (fewer than <paramref name="received"/> after end-of-file).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Parse(DatagramBatch batch, int received)
    {
        for (var i = 0; i < received; i++)
        {
            ref var header = ref _headers[i];

            // End-of-file after shutdown has no sender address (a real empty datagram has one); all after it are the same.
            if (header.Header.NameLength == 0)
            {
                return i;
            }

            ref var entry = ref batch[i];
            entry.Length = (int)Math.Min(header.Length, (uint)DatagramBatch.SlotSize);
            entry.Truncated = (header.Header.Flags & LinuxInterop.MSG_TRUNC) != 0;
            entry.Source = SourceAddress.FromSockaddr(_names.AsSpan(i * NameSize, (int)Math.Min(header.Header.NameLength, NameSize)), _family);
            entry.Timestamp = ControlMessages.ParseTimestamp((byte*)header.Header.Control, (int)header.Header.ControlLength);
        }

        return received;
    }

    /// <summary>Points the message headers at a batch's slots (once per batch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Bind(DatagramBatch batch)
    {
        if (ReferenceEquals(_boundBatch, batch))
        {
            return;
        }

        var capacity = Math.Min(batch.Capacity, Capacity);
        var payload = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(batch.Buffer, 0);
        var iovecs = (LinuxInterop.IoVec*)Marshal.UnsafeAddrOfPinnedArrayElement(_iovecs, 0);
        var names = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_names, 0);
        var control = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_control, 0);
        for (var i = 0; i < capacity; i++)
        {
            iovecs[i].Base = payload + ((long)i * DatagramBatch.SlotSize);
            iovecs[i].Length = DatagramBatch.SlotSize;
            ref var header = ref _headers[i].Header;
            header.Name = names + (i * NameSize);
            header.Iov = iovecs + i;
            header.IovLength = 1;
            header.Control = control + (i * _controlSize);
        }

        _boundBatch = batch;
        _written = 0;
        _fresh = 0;
    }
}
