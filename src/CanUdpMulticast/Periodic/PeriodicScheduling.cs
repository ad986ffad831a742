namespace CanUdpMulticast.Periodic;

/// <summary>
/// Process-wide settings of the precise scheduler thread that serves every periodic task on
/// <see cref="TimeProvider.System"/>: how much CPU it may spend to send on time.
/// </summary>
/// <remarks>
/// <para>The scheduler sleeps until shortly before the next due time and busy-waits the last
/// <see cref="SpinWindow"/>, because a sleeping thread wakes late (on Linux typically 50-100 µs, under load much
/// more). On Linux it also sleeps with nanosecond resolution and a minimal timer slack for that thread, so it needs
/// spinning only for the last few tens of microseconds.</para>
/// <para>Spinning is limited to <see cref="MaxSpinShare"/> of one core, averaged over time, so thousands of
/// tasks with interleaved schedules cannot make the scheduler spin all the time; beyond that budget it only sleeps,
/// which is still accurate to about the OS wake-up latency.</para>
/// </remarks>
public static class PeriodicScheduling
{
    private static long s_spinWindowTicks = TimeSpan.FromMicroseconds(200).Ticks;
    private static double s_maxSpinShare = 0.2;

    /// <summary>
    /// How long before a due time the scheduler stops sleeping and busy-waits. Default 200 µs; <see cref="TimeSpan.Zero"/>
    /// disables spinning (lowest CPU, timing as precise as the OS wake-ups). At most 10 ms.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or above 10 ms.</exception>
    public static TimeSpan SpinWindow
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref s_spinWindowTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMilliseconds(10));
            Volatile.Write(ref s_spinWindowTicks, value.Ticks);
        }
    }

    /// <summary>
    /// The largest share of one core the scheduler may spend busy-waiting, averaged over time (0..1). Default 0.2.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0..1.</exception>
    public static double MaxSpinShare
    {
        get => Volatile.Read(ref s_maxSpinShare);
        set
        {
            if (!(value is >= 0.0 and <= 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "MaxSpinShare must lie between 0 and 1.");
            }

            Volatile.Write(ref s_maxSpinShare, value);
        }
    }
}
