using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CanUdpMulticast.Periodic;

/// <summary>Sub-millisecond sleeping for the scheduler thread (Linux: <c>nanosleep</c> with a minimal timer slack).</summary>
internal static partial class PreciseSleep
{
    private const int PrSetTimerSlack = 29;

    /// <summary>Converts a duration to <see cref="Stopwatch"/> ticks.</summary>
    public static long ToStopwatchTicks(TimeSpan span) => (long)(span.Ticks * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond);

    /// <summary>
    /// Sets the calling thread's timer slack to 1 ns (Linux), so its sleeps end as close to the requested time as the
    /// kernel can manage instead of up to the default 50 µs later. Best effort.
    /// </summary>
    public static void MinimizeTimerSlack()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = Prctl(PrSetTimerSlack, 1, 0, 0, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc/musl: keep the default slack.
        }
    }

    /// <summary>Sleeps about <paramref name="stopwatchTicks"/> (below a millisecond on Linux; elsewhere at least 1 ms).</summary>
    public static void Sleep(long stopwatchTicks)
    {
        if (stopwatchTicks <= 0)
        {
            return;
        }

        if (OperatingSystem.IsLinux())
        {
            var nanoseconds = (long)(stopwatchTicks * (1e9 / Stopwatch.Frequency));
            var request = new Timespec { Seconds = (nint)(nanoseconds / 1_000_000_000), Nanoseconds = (nint)(nanoseconds % 1_000_000_000) };
            try
            {
                _ = NanoSleep(request, IntPtr.Zero);
                return;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Fall through to the portable sleep.
            }
        }

        Thread.Sleep(1);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in Timespec request, IntPtr remaining);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
