namespace CanUdpMulticast;

// The backend core: what a backend implements (two receive primitives and a send) and may override. The public
// members that drive it are in CanBus.cs; docs/architecture.md shows a whole backend.
public abstract partial class CanBus
{
    /// <summary>
    /// Waits up to <paramref name="timeout"/> for one received frame and takes it (python-can's
    /// <c>_recv_internal</c>). Filtering is done by the base class unless <see cref="ApplyFilters"/> returned
    /// <see langword="true"/>. Disposal must wake a blocked call at once, which then returns <see langword="false"/>;
    /// a concurrent dispose must not make it throw. An early <see langword="false"/> is allowed (the base class
    /// looks again while time is left).
    /// </summary>
    /// <param name="message">The frame, when the result is <see langword="true"/>.</param>
    /// <param name="timeout">The longest wait: <see cref="TimeSpan.Zero"/> takes only what is already there,
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits until a frame arrives or the bus is disposed; a finite wait is never
    /// longer than <see cref="int.MaxValue"/> milliseconds.</param>
    /// <returns>Whether a frame was taken.</returns>
    protected abstract bool ReceiveFrame(out CanMessage message, TimeSpan timeout);

    /// <summary>
    /// Waits asynchronously for one received frame and takes it. Disposal must complete a pending call at once with
    /// <see langword="null"/>. Complete synchronously when a frame is already there: the base class then avoids the
    /// cost of an asynchronous wait.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The frame; <see langword="null"/> when the bus is closed.</returns>
    protected abstract ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes one frame only if the backend already holds it in memory (no system call, no wait): lets
    /// <see cref="TryReceive(out CanMessage, TimeSpan?)"/> skip its clock reads when frames are queued. The default takes
    /// nothing; an early <see langword="false"/> is always allowed (the normal path follows).
    /// </summary>
    /// <param name="message">The frame, when the result is <see langword="true"/>.</param>
    /// <returns>Whether a frame was taken.</returns>
    internal virtual bool TryTakeBufferedFrame(out CanMessage message)
    {
        message = default;
        return false;
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the first received frame, then takes up to
    /// <c>destination.Length</c> in all without waiting again. The default calls <see cref="ReceiveFrame"/> for each;
    /// a backend overrides it when it can take several at once (e.g. one <c>recvmmsg</c>).
    /// </summary>
    /// <param name="destination">Where to put the frames (at least one element).</param>
    /// <param name="timeout">The longest wait for the first frame, as for <see cref="ReceiveFrame"/>.</param>
    /// <returns>The number taken; 0 on timeout or when the bus is closed.</returns>
    protected virtual int ReceiveFrames(Span<CanMessage> destination, TimeSpan timeout)
    {
        if (!ReceiveFrame(out destination[0], timeout))
        {
            return 0;
        }

        var count = 1;
        while (count < destination.Length && ReceiveFrame(out destination[count], TimeSpan.Zero))
        {
            count++;
        }

        return count;
    }

    /// <summary>Sends one already validated frame.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="timeout">How long to wait for room; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    protected abstract void SendFrame(in CanMessage message, TimeSpan timeout);

    /// <summary>Sends one already validated frame asynchronously. The default calls <see cref="SendFrame"/>.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="cancellationToken">Cancels waiting for room.</param>
    /// <returns>A task that completes when the frame is sent.</returns>
    protected virtual ValueTask SendFrameAsync(CanMessage message, CancellationToken cancellationToken)
    {
        SendFrame(message, Timeout.InfiniteTimeSpan);
        return default;
    }

    /// <summary>Sends already validated frames. The default calls <see cref="SendFrame"/> for each.</summary>
    /// <param name="messages">The frames (at least one).</param>
    /// <param name="timeout">How long to wait for room; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <returns>The number sent.</returns>
    protected virtual int SendFrames(ReadOnlySpan<CanMessage> messages, TimeSpan timeout)
    {
        foreach (ref readonly var message in messages)
        {
            SendFrame(message, timeout);
        }

        return messages.Length;
    }

    /// <summary>
    /// Lets a backend filter in hardware or in the kernel. Return <see langword="true"/> only when the backend
    /// now delivers exactly the frames that <paramref name="filters"/> pass; the base class then skips its own filter.
    /// </summary>
    /// <param name="filters">The new filters (empty: pass everything).</param>
    /// <returns>Whether the backend applies the filters itself.</returns>
    protected virtual bool ApplyFilters(ReadOnlySpan<CanFilter> filters) => false;

    /// <summary>Releases the backend's resources; must wake every blocked <see cref="ReceiveFrame"/>/<see cref="ReceiveFrameAsync"/>.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Releases the backend's resources asynchronously. The default calls <see cref="Dispose(bool)"/>.</summary>
    /// <returns>A task that completes when the resources are released.</returns>
    protected virtual ValueTask DisposeAsyncCore()
    {
        Dispose(disposing: true);
        return default;
    }
}
