using System.Runtime.InteropServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast.Linux;

/// <summary>
/// The Linux system calls and structures the UDP transport needs and .NET does not expose: <c>recvmmsg</c> with control
/// messages (.NET's <c>ReceiveMessageFrom</c> sizes its control buffer for packet info only and truncates
/// <c>SO_TIMESTAMPNS</c>), <c>poll</c>, <c>shutdown</c> and interface name lookup. The structures are blittable and use
/// native-size fields, so they match both 64-bit and 32-bit glibc layouts.
/// </summary>
internal static unsafe partial class LinuxInterop
{
    public const int SOL_SOCKET = 1;
    public const int SO_RCVBUFFORCE = 33;
    public const int SO_RCVTIMEO = 20;
    public const int SO_TIMESTAMPNS = 35;
    public const int SO_MEMINFO = 55;
    public const int SK_MEMINFO_DROPS = 8;
    public const int SK_MEMINFO_VARS = 9;
    public const int IPPROTO_IP = 0;
    public const int IPPROTO_IPV6 = 41;
    public const int IP_MULTICAST_IF = 32;
    public const int IP_MULTICAST_ALL = 49;
    public const int IPV6_MULTICAST_ALL = 29;
    public const int MSG_CTRUNC = 0x08;
    public const int MSG_TRUNC = 0x20;
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_WAITFORONE = 0x10000;
    public const short POLLIN = 0x001;
    public const int SHUT_RD = 0;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EBADF = 9;

    private const string Libc = "libc";

    /// <summary><c>ssize_t</c>-free <c>recvmmsg(2)</c>: receives up to <paramref name="count"/> datagrams in one call.</summary>
    [LibraryImport(Libc, EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int RecvMMsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    /// <summary><c>recvmsg(2)</c>: receives one datagram (with its sender and control messages).</summary>
    [LibraryImport(Libc, EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint RecvMsg(int fd, MsgHdr* message, int flags);

    /// <summary><c>getsockopt(2)</c> without errno (a failure only means "not known").</summary>
    [LibraryImport(Libc, EntryPoint = "getsockopt")]
    public static partial int GetSockOpt(int fd, int level, int name, void* value, uint* length);

    /// <summary><c>sendmmsg(2)</c>: sends up to <paramref name="count"/> datagrams in one call.</summary>
    [LibraryImport(Libc, EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMMsg(int fd, MMsgHdr* messages, uint count, int flags);

    /// <summary><c>sendto(2)</c>: sends one datagram (cheaper in the kernel than <c>sendmsg</c>: no header to copy in).</summary>
    [LibraryImport(Libc, EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);

    /// <summary>
    /// Whether the structures above have the sizes glibc and musl use on this architecture (64-bit: iovec 16, msghdr 56,
    /// mmsghdr 64, cmsghdr 16, pollfd 8; 32-bit: 8, 28, 32, 12, 8). Checked once before the Linux transport is used; when
    /// it fails the bus uses the portable transport instead of passing wrong layouts to the kernel.
    /// </summary>
    public static bool LayoutMatches { get; } = CheckLayout();

    private static bool CheckLayout()
    {
        var word = sizeof(nuint);
        return sizeof(IoVec) == 2 * word
            && sizeof(MsgHdr) == (word == 8 ? 56 : 28)
            && sizeof(MMsgHdr) == (word == 8 ? 64 : 32)
            && sizeof(CmsgHdr) == word + 8
            && sizeof(PollFd) == 8;
    }

    /// <summary><c>poll(2)</c>.</summary>
    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    /// <summary><c>shutdown(2)</c>: on a UDP socket it fails with ENOTCONN but still wakes every blocked reader, for good.</summary>
    [LibraryImport(Libc, EntryPoint = "shutdown", SetLastError = true)]
    public static partial int Shutdown(SafeHandle socket, int how);

    /// <summary><c>if_nametoindex(3)</c>: 0 when there is no such interface.</summary>
    [LibraryImport(Libc, EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint if_nametoindex(string name);

    [LibraryImport(Libc, EntryPoint = "if_indextoname")]
    private static partial byte* IfIndexToName(uint index, byte* name);

    /// <summary>The name of the interface with an index, or <see langword="null"/> when there is none.</summary>
    /// <param name="index">The interface index.</param>
    /// <returns>The name.</returns>
    public static string? InterfaceNameOf(int index)
    {
        const int IfNameSize = 16;
        var buffer = stackalloc byte[IfNameSize + 1];
        var result = IfIndexToName((uint)index, buffer);
        return result == null ? null : Marshal.PtrToStringUTF8((nint)result);
    }

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary><c>struct msghdr</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary><c>struct mmsghdr</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary><c>struct cmsghdr</c>; the data follows at <see cref="ControlMessages.HeaderSize"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CmsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }
}
