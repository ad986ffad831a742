using System.Runtime.InteropServices;
using CanUdpMulticast.Interfaces.UdpMulticast;

namespace CanUdpMulticast.Network.Tests.Support;

/// <summary>
/// Counts the datagrams waiting in a bus's receive socket from outside the bus, without taking them: the socket is found
/// among this process's descriptors (the new one bound to the bus's port), and the datagrams are peeked one after the
/// other with <c>SO_PEEK_OFF</c> (Linux keeps a peek offset across UDP datagrams) and then the offset is switched off
/// again. Only for a bus that is not receiving at the same time. Allocation-free after <see cref="Open"/>.
/// </summary>
public static unsafe partial class QueuedDatagrams
{
    private const int SolSocket = 1;
    private const int SoPeekOff = 42;
    private const int MsgPeek = 0x02;
    private const int MsgDontWait = 0x40;
    private static readonly byte[] PeekBuffer = GC.AllocateArray<byte>(65536, pinned: true);

    /// <summary>Opens a bus and finds the descriptor of its receive socket.</summary>
    /// <param name="open">Opens the bus.</param>
    /// <returns>The bus and the descriptor.</returns>
    public static (UdpMulticastBus Bus, int ReceiveSocket) Open(Func<UdpMulticastBus> open)
    {
        var before = SocketDescriptors();
        var bus = open();
        foreach (var fd in SocketDescriptors().Except(before))
        {
            if (LocalPort(fd) == bus.Port)
            {
                return (bus, fd);
            }
        }

        bus.Dispose();
        throw new InvalidOperationException("The bus's receive socket was not found among the new descriptors.");
    }

    /// <summary>The number of datagrams queued in a socket (not taken).</summary>
    /// <param name="fd">The socket.</param>
    /// <returns>The count.</returns>
    public static int Count(int fd)
    {
        var zero = 0;
        var off = -1;
        if (SetSockOpt(fd, SolSocket, SoPeekOff, &zero, sizeof(int)) != 0)
        {
            throw new InvalidOperationException("SO_PEEK_OFF is not available.");
        }

        var count = 0;
        try
        {
            fixed (byte* buffer = PeekBuffer)
            {
                // Each peek returns the next datagram; an empty one does not advance the offset, so it ends the count.
                nint length;
                while ((length = Recv(fd, buffer, PeekBuffer.Length, MsgPeek | MsgDontWait)) >= 0)
                {
                    count++;
                    if (length == 0)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            _ = SetSockOpt(fd, SolSocket, SoPeekOff, &off, sizeof(int));
        }

        return count;
    }

    /// <summary>Waits (allocation-free) until at least <paramref name="count"/> datagrams are queued in the socket.</summary>
    /// <param name="fd">The socket.</param>
    /// <param name="count">How many.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <returns>Whether they arrived in time.</returns>
    public static bool WaitFor(int fd, int count, TimeSpan timeout)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        while (Count(fd) < count)
        {
            if (System.Diagnostics.Stopwatch.GetElapsedTime(start) > timeout)
            {
                return false;
            }

            Thread.Yield();
        }

        return true;
    }

    private static HashSet<int> SocketDescriptors() =>
    [
        .. Directory.EnumerateFiles("/proc/self/fd").Where(path =>
        {
            try
            {
                return new FileInfo(path).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true;
            }
            catch (IOException)
            {
                return false;
            }
        }).Select(path => int.Parse(Path.GetFileName(path), System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private static int LocalPort(int fd)
    {
        var address = stackalloc byte[128];
        var length = 128;
        return GetSockName(fd, address, &length) == 0 && length >= 4 ? (address[2] << 8) | address[3] : -1;
    }

    [LibraryImport("libc", EntryPoint = "setsockopt")]
    private static partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", EntryPoint = "recv")]
    private static partial nint Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "getsockname")]
    private static partial int GetSockName(int fd, byte* address, int* length);
}
