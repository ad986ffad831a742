namespace CanUdpMulticast.Periodic;

/// <summary>
/// A handle to a periodic (cyclic) transmission started with <see cref="CanBus.SendPeriodic(in CanMessage, TimeSpan, TimeSpan?, PeriodicSendOptions?)"/>
/// (python-can's <c>CyclicSendTask</c>): stop it, restart it, or change the data it sends.
/// </summary>
/// <remarks>
/// <para>The task sends one message per period; with several messages it sends them in turn (round robin). The send
/// times lie on a fixed grid <c>start + k * period</c> of a monotonic clock, so a late send does not delay the
/// following ones. When the scheduler falls behind by a whole period or more (for example after the process was
/// suspended), the missed slots are sent back to back until the task is on time again, as python-can does, or
/// skipped with <see cref="PeriodicSendOptions.SkipMissedSlots"/>.</para>
/// <para>Disposing the task stops it. Disposing the bus stops all its tasks.</para>
/// </remarks>
public interface ICyclicSendTask : IDisposable, IAsyncDisposable
{
    /// <summary>The bus the task sends on.</summary>
    CanBus Bus { get; }

    /// <summary>The arbitration id every message of the task carries.</summary>
    uint ArbitrationId { get; }

    /// <summary>The time between two sends.</summary>
    TimeSpan Period { get; }

    /// <summary>How long a run lasts before the task stops by itself; <see langword="null"/> runs until stopped.</summary>
    TimeSpan? Duration { get; }

    /// <summary>A copy of the messages the task sends in turn (after any changes made by the modifier callback).</summary>
    IReadOnlyList<CanMessage> Messages { get; }

    /// <summary>Whether the task is running.</summary>
    bool IsRunning { get; }

    /// <summary>Why the last run ended; <see cref="CyclicSendStopReason.None"/> while running or before the first start.</summary>
    CyclicSendStopReason StopReason { get; }

    /// <summary>The last error raised while sending (or by the modifier callback), if any.</summary>
    Exception? LastError { get; }

    /// <summary>Counters and scheduling lateness over the lifetime of the task.</summary>
    CyclicSendTaskStatistics Statistics { get; }

    /// <summary>
    /// A task that completes when the current run ends (stop, duration, error or bus disposal). A restart creates a
    /// new one; before the first start it is already completed. It never faults: see <see cref="StopReason"/> and
    /// <see cref="LastError"/>.
    /// </summary>
    Task Completion { get; }

    /// <summary>
    /// Starts the task, or restarts it after it stopped, on a new timeline: the first message is sent at once and the
    /// round robin begins with the first message. Does nothing when the task is running.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    void Start();

    /// <summary>Sets a new <see cref="Duration"/> and starts the task as <see cref="Start()"/> does.</summary>
    /// <param name="duration">How long the run lasts; <see langword="null"/> runs until stopped.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is zero or negative.</exception>
    /// <exception cref="InvalidOperationException">The task is running; stop it first.</exception>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    void Start(TimeSpan? duration);

    /// <summary>
    /// Stops the task. When it returns, no further message of this task is sent (a send in progress has finished).
    /// Idempotent; the task can be started again.
    /// </summary>
    void Stop();

    /// <summary>Replaces the data of a single-message task; the timing is not affected.</summary>
    /// <param name="message">The new message: same arbitration id, extended flag and channel as before.</param>
    /// <exception cref="ArgumentException">The task has more than one message, the id or channel differs, or the message is not a valid frame.</exception>
    void ModifyData(in CanMessage message);

    /// <summary>Replaces the messages of the task (python-can's <c>modify_data</c>); the timing is not affected.</summary>
    /// <param name="messages">As many messages as before, all with the same arbitration id, extended flag and channel as before.</param>
    /// <exception cref="ArgumentException">The count, an id or a channel differs, or a message is not a valid frame.</exception>
    void ModifyData(ReadOnlySpan<CanMessage> messages);
}
