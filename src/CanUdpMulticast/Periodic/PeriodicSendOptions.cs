using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Periodic;

/// <summary>Options of <see cref="CanBus.SendPeriodic(in CanMessage, TimeSpan, TimeSpan?, PeriodicSendOptions?)"/>.</summary>
public sealed record PeriodicSendOptions
{
    /// <summary>The defaults.</summary>
    public static PeriodicSendOptions Default { get; } = new();

    /// <summary>
    /// Called before each send with the message due in this slot (python-can's <c>modifier_callback</c>). It
    /// returns the message to send, which also replaces the stored one, so changes accumulate from send to send
    /// (e.g. a counter byte: <c>m =&gt; m with { Data = [(byte)(m.Data[0] + 1)] }</c>). It runs on the scheduler
    /// thread: keep it short. An exception counts as a send error.
    /// </summary>
    public Func<CanMessage, CanMessage>? Modifier { get; init; }

    /// <summary>
    /// Called when a send (or <see cref="Modifier"/>) fails (python-can's <c>on_error</c>): return
    /// <see langword="true"/> to go on with the next slot, <see langword="false"/> to stop the task. Without it an
    /// error is logged and stops the task, as in python-can.
    /// </summary>
    public Func<Exception, bool>? OnError { get; init; }

    /// <summary>Whether the task starts at once (python-can's <c>autostart</c>). Default <see langword="true"/>.</summary>
    public bool AutoStart { get; init; } = true;

    /// <summary>
    /// The clock of the schedule. Default <see cref="TimeProvider.System"/>, served by one precise scheduler thread
    /// per process (it sleeps until shortly before each slot and busy-waits the last 200 µs, at most a fifth of one core on
    /// average); any other provider (e.g. a fake clock in tests) is served
    /// by that provider's timers.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// How long one send may wait for room in the backend. Default <see cref="TimeSpan.Zero"/>: the scheduler thread is
    /// shared by every task, so a send that cannot go out at once fails (see <see cref="OnError"/>) rather than delay
    /// the other tasks. <see langword="null"/> waits as long as needed (the library's timeout convention).
    /// </summary>
    public TimeSpan? SendTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// What happens when the scheduler falls a whole period or more behind (the process was suspended, the machine
    /// overloaded, a send blocked). <see langword="false"/> (the default, as python-can): the missed slots are sent
    /// at once, back to back, until the task is back on its grid, so a run always sends one message per slot.
    /// <see langword="true"/>: the missed slots are skipped and counted in
    /// <see cref="CyclicSendTaskStatistics.Skipped"/>, so receivers never see a burst. Either way the grid stays
    /// where it was.
    /// </summary>
    public bool SkipMissedSlots { get; init; }

    /// <summary>Where send errors are logged; none by default.</summary>
    public ILogger? Logger { get; init; }
}
