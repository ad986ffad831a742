using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Notifications;

// The notifier's stop and disposal: ending the loops with a time limit, stopping the listeners and releasing the buses
// (registration is in Notifier.cs, the loops in Notifier.Loops.cs).
public sealed partial class Notifier
{
    /// <summary>
    /// Stops the notifier: ends the receive loops, lets the dispatch loop hand over the frames already received, then
    /// calls <see cref="ICanListener.Stop"/> on every listener object and releases the buses. Idempotent.
    /// </summary>
    /// <returns>Whether every loop ended within <see cref="DefaultStopTimeout"/>. When called from a listener, the dispatch loop is not waited for.</returns>
    public bool Stop() => Stop(DefaultStopTimeout);

    /// <summary>Stops the notifier (see <see cref="Stop()"/>), waiting up to <paramref name="timeout"/> for the loops.</summary>
    /// <param name="timeout">How long to wait for the loops; <see langword="null"/> waits as long as it takes.</param>
    /// <returns>Whether every loop ended in time. When called from a listener, the dispatch loop is not waited for.</returns>
    public bool Stop(TimeSpan? timeout)
    {
        var limit = timeout ?? Timeout.InfiniteTimeSpan;
        var start = Stopwatch.GetTimestamp();
        if (!BeginStop(out var loops))
        {
            return WaitForLoops(loops, limit);
        }

        var done = WaitForLoops(loops, limit);
        _queue.Writer.TryComplete();
        if (Dispatching.Value != this)
        {
            done &= _dispatchLoop.Wait(Remaining(limit, start));
        }

        FinishStop(loops, done, limit);
        return done;
    }

    /// <summary>Stops the notifier asynchronously (see <see cref="Stop()"/>), waiting up to <see cref="DefaultStopTimeout"/>.</summary>
    /// <param name="cancellationToken">Stops waiting early (the notifier is stopped all the same).</param>
    /// <returns>Whether every loop ended in time.</returns>
    public ValueTask<bool> StopAsync(CancellationToken cancellationToken = default) => StopAsync(DefaultStopTimeout, cancellationToken);

    /// <summary>Stops the notifier asynchronously (see <see cref="Stop()"/>), waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait for the loops; <see langword="null"/> waits as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting early (the notifier is stopped all the same).</param>
    /// <returns>Whether every loop ended in time.</returns>
    public async ValueTask<bool> StopAsync(TimeSpan? timeout, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? Timeout.InfiniteTimeSpan;
        var start = Stopwatch.GetTimestamp();
        var first = BeginStop(out var loops);
        var done = await WaitForLoopsAsync(loops.Select(l => l.Completion), limit, cancellationToken).ConfigureAwait(false);
        if (!first)
        {
            return done;
        }

        _queue.Writer.TryComplete();
        if (Dispatching.Value != this)
        {
            done &= await WaitForLoopsAsync([_dispatchLoop], Remaining(limit, start), cancellationToken).ConfigureAwait(false);
        }

        FinishStop(loops, done, limit);
        return done;
    }

    /// <summary>Stops the notifier with <see cref="DefaultStopTimeout"/>.</summary>
    public void Dispose() => Stop();

    /// <summary>Stops the notifier asynchronously with <see cref="DefaultStopTimeout"/>.</summary>
    /// <returns>A task that completes when the notifier stopped.</returns>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private static TimeSpan Remaining(TimeSpan limit, long start)
    {
        if (limit == Timeout.InfiniteTimeSpan)
        {
            return limit;
        }

        var left = limit - Stopwatch.GetElapsedTime(start);
        return left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    private static bool WaitForLoops(NotifierBusLoop[] loops, TimeSpan limit)
    {
        try
        {
            return Task.WaitAll([.. loops.Select(l => l.Completion)], limit);
        }
        catch (AggregateException)
        {
            return true; // the loops catch everything; a fault here still means the loop ended
        }
    }

    private static async ValueTask<bool> WaitForLoopsAsync(IEnumerable<Task> tasks, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(tasks).WaitAsync(limit, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Marks the notifier stopped and cancels the receive loops; false when it was already stopped.</summary>
    private bool BeginStop(out NotifierBusLoop[] loops)
    {
        lock (_gate)
        {
            loops = [.. _loops];
            if (_stopped)
            {
                return false;
            }

            _stopped = true;
        }

        foreach (var loop in loops)
        {
            loop.Cancellation.Cancel();
        }

        return true;
    }

    private void FinishStop(NotifierBusLoop[] loops, bool done, TimeSpan limit)
    {
        if (!done)
        {
            Log.StopTimedOut(_logger, limit);
        }

        // Whatever is still running must not call the listeners after their Stop.
        _dispatchCancellation.Cancel();
        NotifierListener[] listeners;
        lock (_gate)
        {
            _listenersStopped = true;
            listeners = _listeners;
        }

        foreach (var entry in listeners)
        {
            if (entry.Listener is { } listener)
            {
                try
                {
                    listener.Stop();
                }
#pragma warning disable CA1031 // One listener failing to stop must not keep the others running.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Log.ListenerStopFailed(_logger, entry.Name, e);
                }
            }
        }

        foreach (var loop in loops)
        {
            Unregister(loop.Bus);
            if (loop.Completion.IsCompleted)
            {
                loop.Dispose();
            }
        }
    }

    private void Unregister(CanBus bus)
    {
        lock (RegistryGate)
        {
            if (ActiveByBus.TryGetValue(bus, out var owner) && owner == this)
            {
                ActiveByBus.Remove(bus);
            }
        }
    }
}
