using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace CanUdpMulticast.Interfaces.UdpMulticast.Linux;

/// <summary>
/// Sends an <see cref="OutgoingBatch"/> with <c>sendmmsg(2)</c>: up to 64 datagrams per system call, read by the kernel
/// straight from the batch's pinned buffer. The headers live in pinned per-thread arrays; the group address in a
/// pinned array of this object. Thread-safe (each thread uses its own headers).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class LinuxBatchSender
{
    [ThreadStatic]
    private static Headers? t_headers;

    private readonly MulticastSender _sender;
    private readonly MulticastEndpoint _endpoint;
    private readonly byte[] _name;
    private readonly int _nameLength;

    public LinuxBatchSender(MulticastSender sender, MulticastEndpoint endpoint)
    {
        _sender = sender;
        _endpoint = endpoint;
        var group = sender.GroupSockaddr;
        _nameLength = group.Length;
        _name = GC.AllocateArray<byte>(Math.Max(group.Length, 1), pinned: true);
        group.CopyTo(_name);
    }

    /// <summary>Sends every datagram of the batch, waiting up to <paramref name="timeout"/> in total while the send buffer is full.</summary>
    /// <param name="batch">The datagrams.</param>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <returns>How many were sent: all, or fewer when the time ran out after some were sent.</returns>
    /// <exception cref="CanTimeoutException">None could be sent in time.</exception>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Send(OutgoingBatch batch, TimeSpan timeout)
    {
        var headers = t_headers ??= new Headers();
        var payload = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(batch.Buffer, 0);
        var name = Marshal.UnsafeAddrOfPinnedArrayElement(_name, 0);
        var mmsg = (LinuxInterop.MMsgHdr*)Marshal.UnsafeAddrOfPinnedArrayElement(headers.Messages, 0);
        var iov = (LinuxInterop.IoVec*)Marshal.UnsafeAddrOfPinnedArrayElement(headers.Vectors, 0);
        for (var i = 0; i < batch.Count; i++)
        {
            iov[i].Base = payload + batch.Offsets[i];
            iov[i].Length = (nuint)batch.Lengths[i];
            ref var header = ref mmsg[i].Header;
            header.Name = (void*)name;
            header.NameLength = (uint)_nameLength;
            header.Iov = iov + i;
            header.IovLength = 1;
            header.Control = null;
            header.ControlLength = 0;
            header.Flags = 0;
            mmsg[i].Length = 0;
        }

        var handle = _sender.Socket.SafeHandle;
        var done = 0;
        var start = 0L;
        while (done < batch.Count)
        {
            var added = false;
            int sent;
            int errno;
            try
            {
                handle.DangerousAddRef(ref added);
                sent = LinuxInterop.SendMMsg((int)handle.DangerousGetHandle(), mmsg + done, (uint)(batch.Count - done), 0);
                errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }

            if (sent > 0)
            {
                done += sent;
                continue;
            }

            if (errno == LinuxInterop.EINTR)
            {
                continue;
            }

            if (errno != LinuxInterop.EAGAIN)
            {
                throw new CanOperationException(
                    $"Could not send to UDP multicast group {_endpoint.Describe()}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
            }

            // The send buffer is full: wait for room within the timeout.
            if (start == 0)
            {
                start = Stopwatch.GetTimestamp();
            }

            var remaining = timeout == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : timeout - Stopwatch.GetElapsedTime(start);
            if (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero)
            {
                if (done > 0)
                {
                    return done;
                }

                throw new CanTimeoutException(
                    $"Could not send to UDP multicast group {_endpoint.Describe()} within {timeout.TotalMilliseconds} ms: the socket's send buffer stayed full.");
            }

            _sender.Socket.Poll(remaining == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Min((remaining.Ticks / 10) + 1, int.MaxValue), SelectMode.SelectWrite);
        }

        return done;
    }

    /// <summary>Per-thread pinned <c>mmsghdr</c>/<c>iovec</c> arrays.</summary>
    private sealed class Headers
    {
        public LinuxInterop.MMsgHdr[] Messages { get; } = GC.AllocateArray<LinuxInterop.MMsgHdr>(OutgoingBatch.MaxDatagrams, pinned: true);

        public LinuxInterop.IoVec[] Vectors { get; } = GC.AllocateArray<LinuxInterop.IoVec>(OutgoingBatch.MaxDatagrams, pinned: true);
    }
}
