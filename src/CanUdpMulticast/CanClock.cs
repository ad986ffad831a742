using System.Runtime.CompilerServices;

namespace CanUdpMulticast;

/// <summary>The wall clock as python-can timestamps: seconds since the Unix epoch, UTC, with sub-microsecond resolution where the OS offers it.</summary>
public static class CanClock
{
    /// <summary>The current time in seconds since the Unix epoch.</summary>
    /// <returns>The timestamp.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // on the receive path without kernel timestamps: no tier-up mid-stream
    public static double Now() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;
}
