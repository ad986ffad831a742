using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace CanUdpMulticast.Interfaces.UdpMulticast.Linux;

/// <summary>
/// The Linux send path on the <see cref="MulticastSender"/>'s socket: one datagram with <c>sendto(2)</c>, an
/// <see cref="OutgoingBatch"/> with <c>sendmmsg(2)</c> (up to 64 datagrams per system call, read by the kernel straight
/// from the batch's pinned buffer). The group address lives in a pinned array of this object, the batch headers in
/// pinned per-thread arrays. Thread-safe (each thread uses its own headers).
/// </summary>
/// <remarks>
/// Why not <c>Socket.SendTo</c>: it goes through the runtime's <c>sendmsg</c> wrapper, and <c>sendmsg</c> copies and
/// checks a message header and an I/O vector in the kernel where <c>sendto</c> takes the buffer as it is. Measured on
/// the loopback harness, the direct <c>sendto</c> costs about 0.3 µs less per datagram of ~5 µs (docs/benchmarks.md,
/// "Issue 11, third pass"). The descriptor is used only between <see cref="SafeHandle.DangerousAddRef"/> and
/// <see cref="SafeHandle.DangerousRelease"/>, so a concurrent dispose cannot recycle it under a running call.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed unsafe class LinuxSender
{
    [ThreadStatic]
    private static Headers? t_headers;

    private readonly MulticastSender _sender;
    private readonly MulticastEndpoint _endpoint;
    private readonly SafeHandle _handle;
    private readonly byte[] _name;
    private readonly int _nameLength;
    private readonly OwnEchoFilter? _echoes;

    /// <summary>Sends on the sender's socket.</summary>
    /// <param name="sender">The send socket.</param>
    /// <param name="endpoint">The group.</param>
    /// <param name="echoes">Counts every datagram sent for the own-echo filter's drop correction; <see langword="null"/> when there is none.</param>
    public LinuxSender(MulticastSender sender, MulticastEndpoint endpoint, OwnEchoFilter? echoes)
    {
        _sender = sender;
        _endpoint = endpoint;
        _echoes = echoes;
        _handle = sender.Socket.SafeHandle;
        var group = sender.GroupSockaddr;
        _nameLength = group.Length;
        _name = GC.AllocateArray<byte>(Math.Max(group.Length, 1), pinned: true);
        group.CopyTo(_name);
    }

    /// <summary>Sends one datagram, waiting up to <paramref name="timeout"/> while the send buffer is full.</summary>
    /// <param name="datagram">The payload.</param>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <exception cref="CanTimeoutException">The send buffer stayed full for <paramref name="timeout"/>.</exception>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Send(ReadOnlySpan<byte> datagram, TimeSpan timeout)
    {
        var start = 0L;
        while (!TrySend(datagram))
        {
            // The send buffer is full (the socket is non-blocking): wait for room within the timeout.
            if (!_sender.WaitForRoom(timeout, ref start))
            {
                throw _sender.SendBufferStayedFull(timeout);
            }
        }
    }

    /// <summary>Sends one datagram if the send buffer has room for it now (the socket is non-blocking).</summary>
    /// <param name="datagram">The payload.</param>
    /// <returns><see langword="true"/> when it was sent; <see langword="false"/> when the send buffer is full.</returns>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        var name = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_name, 0);
        fixed (byte* payload = datagram)
        {
            while (true)
            {
                var added = false;
                nint sent;
                int errno;
                try
                {
                    _handle.DangerousAddRef(ref added);
                    _echoes?.SendsStarting(1); // before the call: the echo may be filtered before it returns
                    sent = LinuxInterop.SendTo((int)_handle.DangerousGetHandle(), payload, (nuint)datagram.Length, 0, name, (uint)_nameLength);
                    errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
                }
                finally
                {
                    if (added)
                    {
                        _handle.DangerousRelease();
                    }
                }

                if (sent >= 0)
                {
                    return true;
                }

                _echoes?.SendsFailed(1);

                if (errno == LinuxInterop.EINTR)
                {
                    // A signal arrived during the call: nothing was sent; try again.
                    continue;
                }

                return errno == LinuxInterop.EAGAIN ? false : throw Failed(errno);
            }
        }
    }

    /// <summary>Sends every datagram of the batch, waiting up to <paramref name="timeout"/> in total while the send buffer is full.</summary>
    /// <param name="batch">The datagrams.</param>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <returns>How many were sent: all, or fewer when the time ran out after some were sent.</returns>
    /// <exception cref="CanTimeoutException">None could be sent in time.</exception>
    /// <exception cref="CanOperationException">The socket failed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
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

        var done = 0;
        var start = 0L;
        while (done < batch.Count)
        {
            var added = false;
            var wanted = batch.Count - done;
            var sent = -1;
            int errno;
            try
            {
                _echoes?.SendsStarting(wanted);
                _handle.DangerousAddRef(ref added);
                sent = LinuxInterop.SendMMsg((int)_handle.DangerousGetHandle(), mmsg + done, (uint)wanted, 0);
                errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            finally
            {
                if (added)
                {
                    _handle.DangerousRelease();
                }

                _echoes?.SendsFailed(wanted - Math.Max(sent, 0));
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
                throw Failed(errno);
            }

            // The send buffer is full: wait for room within the timeout.
            if (!_sender.WaitForRoom(timeout, ref start))
            {
                if (done > 0)
                {
                    return done;
                }

                throw _sender.SendBufferStayedFull(timeout);
            }
        }

        return done;
    }

    private CanOperationException Failed(int errno) =>
        new($"Could not send to UDP multicast group {_endpoint.Describe()}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");

    /// <summary>Per-thread pinned <c>mmsghdr</c>/<c>iovec</c> arrays.</summary>
    private sealed class Headers
    {
        public LinuxInterop.MMsgHdr[] Messages { get; } = GC.AllocateArray<LinuxInterop.MMsgHdr>(OutgoingBatch.MaxDatagrams, pinned: true);

        public LinuxInterop.IoVec[] Vectors { get; } = GC.AllocateArray<LinuxInterop.IoVec>(OutgoingBatch.MaxDatagrams, pinned: true);
    }
}
