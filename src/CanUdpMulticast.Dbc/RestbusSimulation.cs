using CanUdpMulticast.Periodic;

namespace CanUdpMulticast.Dbc;

/// <summary>
/// Rest-bus simulation: sends every message of the chosen sender nodes at its cycle time (<c>GenMsgCycleTime</c>) with
/// its signals' start values (<c>GenSigStartValue</c>), over <see cref="CanBus.SendPeriodic(in CanMessage, TimeSpan, TimeSpan?, PeriodicSendOptions?)"/>.
/// Signals can be changed while it runs; the next send of the message carries the new value.
/// </summary>
/// <remarks>Messages of the chosen nodes without a cycle time are not sent periodically; they are listed in
/// <see cref="MessagesWithoutCycleTime"/> (and can be sent once with <see cref="SendOnce"/>). Disposing stops every task.</remarks>
public sealed class RestbusSimulation : IDisposable, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CanBus _bus;
    private readonly Dictionary<DbcMessage, Entry> _entries = [];
    private readonly PeriodicSendOptions _periodicOptions;
    private bool _disposed;

    /// <summary>Prepares the simulation (nothing is sent until <see cref="Start"/>).</summary>
    /// <param name="bus">The bus to send on.</param>
    /// <param name="database">The database.</param>
    /// <param name="options">Node selection and periodic options; <see langword="null"/> for every node.</param>
    /// <exception cref="DbcEncodingException">A start value does not fit its signal.</exception>
    public RestbusSimulation(CanBus bus, DbcDatabase database, RestbusOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(database);
        options ??= new RestbusOptions();
        _bus = bus;
        Database = database;
        _periodicOptions = (options.PeriodicOptions ?? PeriodicSendOptions.Default) with { AutoStart = false };
        var chosen = database.Messages.Where(m => IsChosen(m, options)).ToList();
        Messages = [.. chosen.Where(m => m.CycleTime is not null)];
        MessagesWithoutCycleTime = [.. chosen.Where(m => m.CycleTime is null)];
        foreach (var message in chosen)
        {
            var values = new double[message.Signals.Count];
            Array.Fill(values, double.NaN);
            _entries[message] = new Entry(values);
        }
    }

    /// <summary>The database.</summary>
    public DbcDatabase Database { get; }

    /// <summary>The messages sent periodically.</summary>
    public IReadOnlyList<DbcMessage> Messages { get; }

    /// <summary>Messages of the chosen nodes that have no cycle time and are therefore not sent periodically.</summary>
    public IReadOnlyList<DbcMessage> MessagesWithoutCycleTime { get; }

    /// <summary>Whether the periodic tasks are running.</summary>
    public bool IsRunning { get; private set; }

    /// <summary>Frames sent so far by all periodic tasks (and <see cref="SendOnce"/>).</summary>
    public long FramesSent
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Sum(e => (e.Task?.Statistics.Sent ?? 0) + e.SentOnce);
            }
        }
    }

    /// <summary>Sends that failed so far, over all periodic tasks.</summary>
    public long Errors
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Sum(e => e.Task?.Statistics.Errors ?? 0);
            }
        }
    }

    /// <summary>How many times signal values were changed with <see cref="SetSignal(string, string, double)"/>.</summary>
    public long SignalChanges { get; private set; }

    /// <summary>Starts a periodic task per message (the first frames go out at once); does nothing when running.</summary>
    /// <exception cref="ObjectDisposedException">The simulation or the bus is disposed.</exception>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsRunning)
            {
                return;
            }

            foreach (var message in Messages)
            {
                var entry = _entries[message];
                var frame = Encode(message, entry.Values);
                entry.Task ??= _bus.SendPeriodic(frame, message.CycleTime!.Value, options: _periodicOptions);
                entry.Task.ModifyData(frame);
                entry.Task.Start();
            }

            IsRunning = true;
        }
    }

    /// <summary>Stops the periodic tasks; <see cref="Start"/> resumes them with the current values.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            foreach (var entry in _entries.Values)
            {
                entry.Task?.Stop();
            }

            IsRunning = false;
        }
    }

    /// <summary>Changes a signal's physical value; the message's next send carries it.</summary>
    /// <param name="messageName">The message.</param>
    /// <param name="signalName">The signal.</param>
    /// <param name="value">The physical value.</param>
    /// <exception cref="KeyNotFoundException">The message is not part of the simulation, or has no such signal.</exception>
    /// <exception cref="DbcEncodingException">The value does not fit the signal (the value is not changed).</exception>
    public void SetSignal(string messageName, string signalName, double value)
    {
        lock (_gate)
        {
            var (message, signal, entry) = Find(messageName, signalName);
            signal.PhysicalToBits(value);
            entry.Values[signal.Index] = value;
            var frame = Encode(message, entry.Values);
            entry.Task?.ModifyData(frame);
            SignalChanges++;
        }
    }

    /// <summary>Changes a signal to one of its choices (<c>VAL_</c>) by name.</summary>
    /// <param name="messageName">The message.</param>
    /// <param name="signalName">The signal.</param>
    /// <param name="choice">The choice name.</param>
    /// <exception cref="KeyNotFoundException">Unknown message, signal or choice.</exception>
    public void SetSignal(string messageName, string signalName, string choice)
    {
        DbcSignal signal;
        lock (_gate)
        {
            signal = Find(messageName, signalName).Signal;
        }

        if (!signal.TryGetChoiceValue(choice, out var raw))
        {
            throw new KeyNotFoundException($"Signal {messageName}.{signalName} has no choice '{choice}'.");
        }

        SetSignal(messageName, signalName, (raw * signal.Factor) + signal.Offset);
    }

    /// <summary>The physical value a signal is sent with now (its set value, else its start value, else raw 0).</summary>
    /// <param name="messageName">The message.</param>
    /// <param name="signalName">The signal.</param>
    /// <returns>The physical value.</returns>
    /// <exception cref="KeyNotFoundException">The message is not part of the simulation, or has no such signal.</exception>
    public double GetSignal(string messageName, string signalName)
    {
        lock (_gate)
        {
            var (_, signal, entry) = Find(messageName, signalName);
            var value = entry.Values[signal.Index];
            return double.IsNaN(value) ? ((signal.StartValue ?? 0) * signal.Factor) + signal.Offset : value;
        }
    }

    /// <summary>The frame a message of the simulation is sent as now.</summary>
    /// <param name="messageName">The message.</param>
    /// <returns>The frame.</returns>
    /// <exception cref="KeyNotFoundException">The message is not part of the simulation.</exception>
    public CanMessage GetFrame(string messageName)
    {
        lock (_gate)
        {
            var (message, entry) = Find(messageName);
            return Encode(message, entry.Values);
        }
    }

    /// <summary>Sends a message of the simulation once with its current values (for messages without a cycle time).</summary>
    /// <param name="messageName">The message.</param>
    /// <exception cref="KeyNotFoundException">The message is not part of the simulation.</exception>
    public void SendOnce(string messageName)
    {
        CanMessage frame;
        lock (_gate)
        {
            var (message, entry) = Find(messageName);
            frame = Encode(message, entry.Values);
            entry.SentOnce++;
        }

        _bus.Send(frame);
    }

    /// <summary>Stops and releases the periodic tasks.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            IsRunning = false;
            foreach (var entry in _entries.Values)
            {
                entry.Task?.Dispose();
            }
        }
    }

    /// <summary>Stops and releases the periodic tasks.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool IsChosen(DbcMessage message, RestbusOptions options)
    {
        IEnumerable<string> senders = [message.Sender, .. message.Transmitters];
        if (options.Nodes is { Count: > 0 } nodes && !senders.Any(nodes.Contains))
        {
            return false;
        }

        return options.ExceptNodes is not { Count: > 0 } except || !senders.Any(except.Contains);
    }

    private static CanMessage Encode(DbcMessage message, double[] values)
    {
        Span<byte> data = stackalloc byte[CanDlc.MaxFdLength];
        var length = message.Encode(values, data, skipUnselected: true);
        return message.CreateFrame(data[..length]);
    }

    private (DbcMessage Message, Entry Entry) Find(string messageName)
    {
        if (!Database.TryGetMessage(messageName, out var message) || !_entries.TryGetValue(message, out var entry))
        {
            throw new KeyNotFoundException($"Message {messageName} is not part of the rest-bus simulation.");
        }

        return (message, entry);
    }

    private (DbcMessage Message, DbcSignal Signal, Entry Entry) Find(string messageName, string signalName)
    {
        var (message, entry) = Find(messageName);
        var signal = message.FindSignal(signalName) ?? throw new KeyNotFoundException($"Message {messageName} has no signal {signalName}.");
        return (message, signal, entry);
    }

    private sealed class Entry(double[] values)
    {
        public double[] Values { get; } = values;

        public ICyclicSendTask? Task { get; set; }

        public long SentOnce { get; set; }
    }
}
