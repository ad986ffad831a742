using CanUdpMulticast.Periodic;

namespace CanUdpMulticast;

/// <summary>Periodic (cyclic) sending: python-can's <c>send_periodic</c> and <c>stop_all_periodic_tasks</c>.</summary>
public abstract partial class CanBus
{
    private readonly Lock _periodicGate = new();
    private readonly HashSet<CyclicSendTask> _periodicTasks = [];
    private bool _periodicClosed;
    private long _periodicSent;
    private long _periodicSkipped;
    private long _periodicErrors;

    /// <summary>The periodic tasks of this bus that are running.</summary>
    public IReadOnlyList<ICyclicSendTask> PeriodicTasks
    {
        get
        {
            lock (_periodicGate)
            {
                return [.. _periodicTasks];
            }
        }
    }

    /// <summary>
    /// Sends a message every <paramref name="period"/> (python-can's <c>send_periodic</c>) until the task is stopped,
    /// <paramref name="duration"/> elapses, or the bus is disposed. The first send happens at once.
    /// </summary>
    /// <param name="message">The message; it is validated now.</param>
    /// <param name="period">The time between two sends; positive.</param>
    /// <param name="duration">How long to send; <see langword="null"/> until stopped. A run sends in the slots
    /// <c>start + k * period</c> that lie before <c>start + duration</c>.</param>
    /// <param name="options">Modifier and error callbacks, clock, autostart, logging; <see langword="null"/> for the defaults.</param>
    /// <returns>The task, to stop, restart or modify it.</returns>
    /// <exception cref="ArgumentException">The message is not a valid frame.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> or <paramref name="duration"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    /// <remarks>See <see cref="ICyclicSendTask"/> for the timing rules. With the system clock one scheduler thread per process
    /// serves every task: it sleeps until shortly before a due time and busy-waits the last 200 µs (at most a fifth of one core
    /// on average), so on Linux a send typically leaves within tens of microseconds of its slot.</remarks>
    public ICyclicSendTask SendPeriodic(in CanMessage message, TimeSpan period, TimeSpan? duration = null, PeriodicSendOptions? options = null) =>
        SendPeriodic(new ReadOnlySpan<CanMessage>(in message), period, duration, options);

    /// <summary>
    /// Sends a sequence of messages in turn, one every <paramref name="period"/> (python-can's <c>send_periodic</c>
    /// with a list): message 0, 1, ..., n-1, 0, 1, ...
    /// </summary>
    /// <param name="messages">The messages: at least one, all valid, all with the same arbitration id (and extended
    /// flag) and the same channel, as python-can requires. They are copied.</param>
    /// <param name="period">The time between two sends; positive.</param>
    /// <param name="duration">How long to send; <see langword="null"/> until stopped.</param>
    /// <param name="options">Modifier and error callbacks, clock, autostart, logging; <see langword="null"/> for the defaults.</param>
    /// <returns>The task, to stop, restart or modify it.</returns>
    /// <exception cref="ArgumentException">The sequence is empty, a message is not valid, or the ids or channels differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> or <paramref name="duration"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    public ICyclicSendTask SendPeriodic(ReadOnlySpan<CanMessage> messages, TimeSpan period, TimeSpan? duration = null, PeriodicSendOptions? options = null)
    {
        ThrowIfDisposed();
        options ??= PeriodicSendOptions.Default;
        var task = new CyclicSendTask(this, messages, period, duration, options);
        if (options.AutoStart)
        {
            task.Start();
        }

        return task;
    }

    /// <summary>Stops every running periodic task of this bus (python-can's <c>stop_all_periodic_tasks</c>); they can be restarted.</summary>
    public void StopAllPeriodicTasks()
    {
        foreach (var task in SnapshotPeriodicTasks(close: false))
        {
            task.Stop();
        }
    }

    /// <summary>What all periodic tasks of this bus did, for the metrics.</summary>
    internal (long Sent, long Skipped, long Errors) PeriodicTotals =>
        (Interlocked.Read(ref _periodicSent), Interlocked.Read(ref _periodicSkipped), Interlocked.Read(ref _periodicErrors));

    /// <summary>Counts a periodic send.</summary>
    internal void CountPeriodicSent() => Interlocked.Increment(ref _periodicSent);

    /// <summary>Counts skipped periodic slots.</summary>
    internal void CountPeriodicSkipped(long count) => Interlocked.Add(ref _periodicSkipped, count);

    /// <summary>Counts a failed periodic send.</summary>
    internal void CountPeriodicError() => Interlocked.Increment(ref _periodicErrors);

    /// <summary>Adds a task that starts; fails once the bus is disposed.</summary>
    internal void RegisterPeriodicTask(CyclicSendTask task)
    {
        lock (_periodicGate)
        {
            ObjectDisposedException.ThrowIf(_periodicClosed || IsDisposed, this);
            _periodicTasks.Add(task);
        }
    }

    /// <summary>Removes a task that stopped.</summary>
    internal void UnregisterPeriodicTask(CyclicSendTask task)
    {
        lock (_periodicGate)
        {
            _periodicTasks.Remove(task);
        }
    }

    partial void StopPeriodicTasksOnDispose()
    {
        foreach (var task in SnapshotPeriodicTasks(close: true))
        {
            task.StopForBusDisposal();
        }
    }

    private CyclicSendTask[] SnapshotPeriodicTasks(bool close)
    {
        lock (_periodicGate)
        {
            _periodicClosed |= close;
            return [.. _periodicTasks];
        }
    }
}
