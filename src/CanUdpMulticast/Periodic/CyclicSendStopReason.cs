namespace CanUdpMulticast.Periodic;

/// <summary>Why a periodic task stopped.</summary>
public enum CyclicSendStopReason
{
    /// <summary>The task is running or was never started.</summary>
    None,

    /// <summary><see cref="ICyclicSendTask.Stop"/>, disposal of the task or <see cref="CanBus.StopAllPeriodicTasks"/> stopped it.</summary>
    Stopped,

    /// <summary>Its <see cref="ICyclicSendTask.Duration"/> elapsed.</summary>
    DurationElapsed,

    /// <summary>A send (or the modifier callback) failed and the error callback, or its absence, stopped the task.</summary>
    Error,

    /// <summary>The bus was disposed.</summary>
    BusDisposed,
}
