using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CanUdpMulticast.Notifications;

/// <summary>
/// Receives from one or more buses and hands every frame to a list of listeners (python-can's <c>Notifier</c>):
/// <see cref="ICanListener"/> objects (readers, log writers, printers), plain delegates and async handlers.
/// </summary>
/// <remarks>
/// <para>Each bus has its own receive loop; the frames of all buses go through one queue to one dispatch loop, so
/// listeners are called one at a time, in the order they were added, and an async handler is awaited before the
/// next listener sees the frame. Frames of one bus keep their order. <see cref="CanMessage.Channel"/> tells the buses
/// apart.</para>
/// <para>A listener that throws does not stop the others nor the loop: the error is logged and passed to every
/// listener's <see cref="ICanListener.OnError"/>. A bus that fails to receive is reported the same way and retried
/// after a short pause; a bus that is disposed simply leaves the notifier.</para>
/// <para>A bus can feed only one active notifier (python-can 4.6's rule), because two notifiers would split its
/// frames between them. Buses and listeners can be added and removed while the notifier runs.</para>
/// <para>When the dispatch loop falls behind, it stops taking frames from the buses, so the backlog stays in each
/// bus's receive queue, where its size limit and drop counters apply.</para>
/// </remarks>
public sealed partial class Notifier : IDisposable, IAsyncDisposable
{
    /// <summary>How long <see cref="Stop()"/>, <see cref="StopAsync(CancellationToken)"/> and disposal wait for the loops by default (5 s, as python-can).</summary>
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(5);

    private const int QueueCapacity = 1024;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly Dictionary<CanBus, Notifier> ActiveByBus = new(ReferenceEqualityComparer.Instance);
    private static readonly Lock RegistryGate = new();
    private static readonly AsyncLocal<Notifier?> Dispatching = new();

    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Channel<NotifierEvent> _queue;
    private readonly CancellationTokenSource _dispatchCancellation = new();
    private readonly List<NotifierBusLoop> _loops = [];
    private readonly Task _dispatchLoop;
    private NotifierListener[] _listeners = [];
    private bool _stopped;
    private bool _listenersStopped;
    private Exception? _lastError;

    /// <summary>Creates a notifier without buses or listeners; add them with <see cref="AddBus"/> and <c>AddListener</c>.</summary>
    /// <param name="logger">Where listener and bus errors are logged; none by default.</param>
    public Notifier(ILogger? logger = null)
    {
        _logger = logger is null ? NullLogger.Instance : new GuardedLogger(logger);
        _queue = Channel.CreateBounded<NotifierEvent>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _dispatchLoop = Task.Run(DispatchLoopAsync);
    }

    /// <summary>Starts dispatching the frames of one bus to listeners.</summary>
    /// <param name="bus">The bus.</param>
    /// <param name="listeners">The listeners, called in this order.</param>
    /// <param name="logger">Where listener and bus errors are logged; none by default.</param>
    /// <exception cref="InvalidOperationException">The bus already belongs to an active notifier.</exception>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    public Notifier(CanBus bus, IEnumerable<ICanListener>? listeners = null, ILogger? logger = null)
        : this([bus], listeners, logger)
    {
    }

    /// <summary>Starts dispatching the frames of several buses to listeners.</summary>
    /// <param name="buses">The buses.</param>
    /// <param name="listeners">The listeners, called in this order.</param>
    /// <param name="logger">Where listener and bus errors are logged; none by default.</param>
    /// <exception cref="InvalidOperationException">A bus already belongs to an active notifier (nothing is started then).</exception>
    /// <exception cref="ObjectDisposedException">A bus is disposed.</exception>
    public Notifier(IEnumerable<CanBus> buses, IEnumerable<ICanListener>? listeners = null, ILogger? logger = null)
        : this(logger)
    {
        ArgumentNullException.ThrowIfNull(buses);
        foreach (var listener in listeners ?? [])
        {
            AddListener(listener);
        }

        try
        {
            foreach (var bus in buses)
            {
                AddBus(bus);
            }
        }
        catch
        {
            Stop(TimeSpan.FromSeconds(1));
            throw;
        }
    }

    /// <summary>The buses the notifier receives from (a disposed bus leaves by itself).</summary>
    public IReadOnlyList<CanBus> Buses
    {
        get
        {
            lock (_gate)
            {
                return [.. _loops.Select(l => l.Bus)];
            }
        }
    }

    /// <summary>The listeners, in call order: <see cref="ICanListener"/> objects and delegates as they were added.</summary>
    public IReadOnlyList<object> Listeners => [.. Volatile.Read(ref _listeners).Select(l => l.Target)];

    /// <summary>Whether <see cref="Stop()"/> or <see cref="StopAsync(CancellationToken)"/> was called.</summary>
    public bool IsStopped
    {
        get
        {
            lock (_gate)
            {
                return _stopped;
            }
        }
    }

    /// <summary>The last error of a bus or a listener (python-can's <c>Notifier.exception</c>), if any.</summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    /// <summary>The active notifier a bus belongs to, if any (python-can's <c>find_instances</c>).</summary>
    /// <param name="bus">The bus.</param>
    /// <returns>The notifier, or <see langword="null"/>.</returns>
    public static Notifier? FindInstance(CanBus bus)
    {
        lock (RegistryGate)
        {
            return ActiveByBus.GetValueOrDefault(bus);
        }
    }

    /// <summary>Starts receiving from another bus.</summary>
    /// <param name="bus">The bus.</param>
    /// <exception cref="InvalidOperationException">The bus already belongs to this or another active notifier, or this notifier is stopped.</exception>
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    public void AddBus(CanBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ObjectDisposedException.ThrowIf(bus.IsDisposed, bus);
        lock (_gate)
        {
            if (_stopped)
            {
                throw new InvalidOperationException("The notifier is stopped; create a new one.");
            }

            lock (RegistryGate)
            {
                if (ActiveByBus.TryGetValue(bus, out var owner))
                {
                    throw new InvalidOperationException(owner == this
                        ? $"The bus '{bus.ChannelInfo}' already belongs to this notifier."
                        : $"The bus '{bus.ChannelInfo}' already belongs to another active notifier; a bus can feed only one notifier at a time. Stop the other notifier or remove the bus from it first.");
                }

                ActiveByBus.Add(bus, this);
            }

            var loop = new NotifierBusLoop(bus);
            _loops.Add(loop);
            loop.Completion = Task.Run(() => ReceiveLoopAsync(loop));
        }
    }

    /// <summary>
    /// Stops receiving from a bus and waits for its receive loop to end. Frames of that bus already received may still
    /// reach the listeners.
    /// </summary>
    /// <param name="bus">The bus.</param>
    /// <returns>Whether the bus belonged to the notifier.</returns>
    /// <remarks>Waits up to <see cref="DefaultStopTimeout"/> for the loop.</remarks>
    public bool RemoveBus(CanBus bus) => RemoveBus(bus, DefaultStopTimeout);

    /// <summary>Stops receiving from a bus and waits up to <paramref name="timeout"/> for its receive loop to end.</summary>
    /// <param name="bus">The bus.</param>
    /// <param name="timeout">How long to wait for the loop; <see langword="null"/> waits as long as it takes.</param>
    /// <returns>Whether the bus belonged to the notifier.</returns>
    public bool RemoveBus(CanBus bus, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(bus);
        NotifierBusLoop? loop;
        lock (_gate)
        {
            loop = _loops.Find(l => l.Bus == bus);
            if (loop is null)
            {
                return false;
            }

            _loops.Remove(loop);
        }

        loop.Cancellation.Cancel();
        if (loop.Completion.Wait(timeout ?? Timeout.InfiniteTimeSpan))
        {
            loop.Dispose();
        }

        Unregister(bus);
        return true;
    }

    /// <summary>Adds a listener object; it is called after the listeners added before it.</summary>
    /// <param name="listener">The listener.</param>
    public void AddListener(ICanListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        AddListener(new NotifierListener(listener));
    }

    /// <summary>Adds a plain delegate as a listener (python-can accepts any callable).</summary>
    /// <param name="listener">Called with each frame.</param>
    public void AddListener(Action<CanMessage> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        AddListener(new NotifierListener(listener));
    }

    /// <summary>
    /// Adds an async handler; each frame's handler call is awaited before the next listener (and the next frame) runs.
    /// The token is cancelled when the notifier gives up waiting for the dispatch loop on stop.
    /// </summary>
    /// <param name="listener">Called with each frame.</param>
    public void AddListener(Func<CanMessage, CancellationToken, ValueTask> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        AddListener(new NotifierListener(listener));
    }

    /// <summary>Removes a listener object (its first occurrence). Its <see cref="ICanListener.Stop"/> is not called.</summary>
    /// <param name="listener">The listener.</param>
    /// <returns>Whether it was found.</returns>
    public bool RemoveListener(ICanListener listener) => RemoveListener((object)listener);

    /// <summary>Removes a delegate listener (its first occurrence; delegates compare by target and method).</summary>
    /// <param name="listener">The delegate given to <see cref="AddListener(Action{CanMessage})"/>.</param>
    /// <returns>Whether it was found.</returns>
    public bool RemoveListener(Action<CanMessage> listener) => RemoveListener((object)listener);

    /// <summary>Removes an async handler (its first occurrence).</summary>
    /// <param name="listener">The handler given to <see cref="AddListener(Func{CanMessage, CancellationToken, ValueTask})"/>.</param>
    /// <returns>Whether it was found.</returns>
    public bool RemoveListener(Func<CanMessage, CancellationToken, ValueTask> listener) => RemoveListener((object)listener);

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

    private void AddListener(NotifierListener entry)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners, entry];
        }
    }

    private bool RemoveListener(object target)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_gate)
        {
            var index = Array.FindIndex(_listeners, l => l.Target.Equals(target));
            if (index < 0)
            {
                return false;
            }

            _listeners = [.. _listeners[..index], .. _listeners[(index + 1)..]];
            return true;
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
