using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CanUdpMulticast.Harness.Native;

/// <summary>
/// The few libc calls the baselines need (Linux x64/arm64 layouts): <c>sendmmsg</c>/<c>recvmmsg</c> for the batch
/// baseline and <c>getrusage</c> for CPU time. Independent of the library's own interop on purpose: a baseline must not
/// share code with what it measures.
/// </summary>
internal static unsafe partial class Libc
{
    public const int SolSocket = 1;
    public const int SoTimestampNs = 35;
    public const int SoRcvTimeo = 20;
    public const int MsgWaitForOne = 0x10000;
    public const int MsgDontWait = 0x40;
    public const int EAgain = 11;
    public const int EIntr = 4;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

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

    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct RUsage
    {
        public TimeVal User;
        public TimeVal System;
        public fixed long Rest[14];
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sendmmsg(int fd, MMsgHdr* messages, uint count, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int recvmmsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrusage(int who, RUsage* usage);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(int fd, byte* buffer, nuint length, int flags);

    /// <summary>Fails fast when the struct layouts do not match the 64-bit Linux ABI.</summary>
    public static void CheckLayouts()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            throw new PlatformNotSupportedException("The harness needs 64-bit Linux.");
        }

        if (Unsafe.SizeOf<MsgHdr>() != 56 || Unsafe.SizeOf<MMsgHdr>() != 64 || Unsafe.SizeOf<IoVec>() != 16 || Unsafe.SizeOf<RUsage>() != 144)
        {
            throw new InvalidOperationException("Unexpected native struct sizes.");
        }
    }

    /// <summary>User + system CPU time of this process so far, in seconds (all threads).</summary>
    public static double ProcessCpuSeconds()
    {
        RUsage usage;
        if (getrusage(0, &usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return usage.User.Seconds + (usage.User.Microseconds * 1e-6) + usage.System.Seconds + (usage.System.Microseconds * 1e-6);
    }
}
