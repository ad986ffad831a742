namespace CanUdpMulticast.Periodic;

/// <summary>
/// How much CPU the precise scheduler thread (which serves every periodic task on <see cref="TimeProvider.System"/>)
/// may spend to send on time. Fixed, not process-wide mutable settings: one library in a process must not change
/// another's timing.
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
internal static class PeriodicScheduling
{
    /// <summary>How long before a due time the scheduler stops sleeping and busy-waits: 200 µs.</summary>
    public static readonly TimeSpan SpinWindow = TimeSpan.FromMicroseconds(200);

    /// <summary>The largest share of one core the scheduler may spend busy-waiting, averaged over time: 0.2.</summary>
    public const double MaxSpinShare = 0.2;
}
