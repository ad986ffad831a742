using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast.Linux;

/// <summary>Walks the control messages (<c>cmsg</c>) of one received datagram: the CMSG_* macros of &lt;sys/socket.h&gt;.</summary>
internal static unsafe class ControlMessages
{
    /// <summary><c>CMSG_ALIGN(sizeof(struct cmsghdr))</c>: where the data of a control message starts.</summary>
    public static readonly int HeaderSize = Align(sizeof(LinuxInterop.CmsgHdr));

    /// <summary>Room for <c>SCM_TIMESTAMPNS</c> (a timespec), with slack for one more small message.</summary>
    public static readonly int BufferSize = Space(2 * sizeof(nint)) + 32;

    /// <summary><c>CMSG_ALIGN</c>: rounds up to the size of <c>size_t</c>.</summary>
    /// <param name="length">A length in bytes.</param>
    /// <returns>The aligned length.</returns>
    public static int Align(int length) => (length + sizeof(nuint) - 1) & ~(sizeof(nuint) - 1);

    /// <summary><c>CMSG_SPACE</c>.</summary>
    /// <param name="dataLength">The data length.</param>
    /// <returns>The room one control message takes.</returns>
    public static int Space(int dataLength) => HeaderSize + Align(dataLength);

    /// <summary>Reads the kernel receive time from a datagram's control data.</summary>
    /// <param name="control">The control buffer.</param>
    /// <param name="length">The control length the kernel reported.</param>
    /// <returns>Seconds since the Unix epoch, or <see cref="double.NaN"/> when absent.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double ParseTimestamp(byte* control, int length)
    {
        var offset = 0;
        while (offset + HeaderSize <= length)
        {
            var header = (LinuxInterop.CmsgHdr*)(control + offset);
            var messageLength = (int)header->Length;
            if (messageLength < HeaderSize || offset + messageLength > length)
            {
                break;
            }

            var data = control + offset + HeaderSize;
            var dataLength = messageLength - HeaderSize;
            if (header->Level == LinuxInterop.SOL_SOCKET && header->Type == LinuxInterop.SO_TIMESTAMPNS && dataLength >= 2 * sizeof(nint))
            {
                // struct timespec { time_t tv_sec; long tv_nsec; } with native-size fields.
                var seconds = (long)Unsafe.ReadUnaligned<nint>(data);
                var nanoseconds = (long)Unsafe.ReadUnaligned<nint>(data + sizeof(nint));
                return nanoseconds is >= 0 and < 1_000_000_000 ? seconds + (nanoseconds * 1e-9) : double.NaN;
            }

            offset += Align(messageLength);
        }

        return double.NaN;
    }
}
