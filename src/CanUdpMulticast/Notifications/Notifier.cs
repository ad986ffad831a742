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
}
