using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;

namespace CanUdpMulticast.Nats;

/// <summary>
/// A CAN bus on NATS (interface <c>"nats"</c>): for buses that span sites, clouds and networks without multicast.
/// Frames go to subjects under <c>&lt;prefix&gt;.&lt;bus&gt;</c> (see <see cref="NatsBusOptions.Bus"/>) as
/// python-can's MessagePack map, byte for byte the payload of a <c>udp_multicast</c> datagram, with one header for the
/// source, a per-source sequence number and the send time (<see cref="NatsFrameHeaders"/>).
/// </summary>
/// <remarks>
/// <para>Filters whose masks cover whole hex digits of the id become server-side subscriptions: the server then sends
/// nothing else. Other filters narrow the subscription and the bus filters the rest.</para>
/// <para>Core NATS is at-most-once: frames can be lost (a server or connection lost mid-stream). Every loss is counted:
/// receivers see it as gaps in each sender's sequence (<see cref="NatsStatistics.SequenceGaps"/>), and a sender counts
/// what it dropped while disconnected. <see cref="CanBus.State"/> is <see cref="CanBusState.Error"/> while disconnected;
/// the client reconnects by itself (to another server of <see cref="NatsBusOptions.Servers"/> when one is lost).</para>
/// </remarks>
public sealed partial class NatsBus : CanBus
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly NatsBusOptions _options;
    private readonly NatsSubjects _subjects;
    private readonly NatsConnection _connection;
    private readonly CanFrameQueue _queue;
    private readonly NatsCounters _counters = new();
    private readonly ILogger _logger;
    private readonly ulong _sourceId;
    private readonly string _sourceText;
    private readonly ManualResetEventSlim _connected = new(initialState: false);
    private readonly ConcurrentDictionary<string, string> _publishViolations = new(StringComparer.Ordinal);
    private readonly NatsSubscribeRefusals _subscribeRefusals = new();
    private readonly SemaphoreSlim _subscriptionLock = new(1, 1);
    private List<NatsFrameSubscription> _subscriptions = [];
    private CanFilter[] _serverFilters = [];
    private volatile bool _exactServerSide = true;
    private volatile bool _countGaps = true;

    // Set once the server refused a publish: until then a send looks nothing up (a string hash per frame).
    private volatile bool _anyPublishViolation;
    private readonly NatsFramePublisher _publisher;
    private int _pendingWhileDisconnected;
    private int _closed;

    /// <summary>Opens a bus: connects, authenticates and subscribes, or fails within <see cref="NatsBusOptions.ConnectTimeout"/>.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="CanInitializationException">The options are invalid, no server could be reached, authentication
    /// failed, or the server does not permit the subscription (the message names the server and the subject).</exception>
    public NatsBus(NatsBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        if (options.Servers.Count == 0)
        {
            throw new CanInitializationException("The NATS bus needs at least one server URL.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.PendingWhileDisconnected, nameof(options));
        _subjects = new NatsSubjects(options.SubjectPrefix, options.Bus);
        _queue = new CanFrameQueue(options.ReceiveQueueCapacity, QueueFullMode.DropNewest);
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        _sourceId = BitConverter.ToUInt64(random) | 1; // never 0 (0 means "no header")
        _sourceText = _sourceId.ToString("X16", CultureInfo.InvariantCulture);
        Servers = string.Join(",", options.Servers);
        // The client's logger is how a refused subscription is seen in order with the PONG after it.
        _connection = new NatsConnection(NatsConnectionOptions.Create(options, _sourceText) with { LoggerFactory = _subscribeRefusals });
        _publisher = new NatsFramePublisher(_connection, _sourceId);
        _connection.ConnectionOpened += OnConnectionOpenedAsync;
        _connection.ConnectionDisconnected += OnConnectionDisconnectedAsync;
        _connection.ServerError += OnServerErrorAsync;
        try
        {
            RunBlocking(() => OpenAsync(options.Filters ?? []), options.ConnectTimeout + TimeSpan.FromSeconds(1), "open");
        }
        catch (Exception ex)
        {
            _connection.DisposeAsync().AsTask().Wait(CloseTimeout);
            _connected.Dispose();
            throw ex as CanInitializationException ?? new CanInitializationException(
                $"Cannot open the NATS bus {_subjects.Root} on {Servers}: {ex.Message}", ex);
        }

        if (options.Filters is { Count: > 0 } filters)
        {
            try
            {
                SetFilters(filters);
            }
            catch
            {
                Dispose(); // the connection is open: close it before the refused subscription surfaces
                throw;
            }
        }

        _opened = true;

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var subscribed = string.Join(' ', Subscriptions);
            NatsBusLog.Opened(_logger, _subjects.Root, Servers, subscribed);
        }
    }

    /// <summary>The server URLs, comma-separated.</summary>
    public string Servers { get; }

    /// <summary>The subject root of this bus, <c>&lt;prefix&gt;.&lt;bus&gt;</c>.</summary>
    public string SubjectRoot => _subjects.Root;

    /// <summary>This bus's source id (the first field of the <see cref="NatsFrameHeaders.Name"/> header of what it sends).</summary>
    public ulong SourceId => _sourceId;

    /// <summary>The subjects this bus subscribes to now (one per server-side filter, or the whole bus).</summary>
    public IReadOnlyList<string> Subscriptions => [.. Volatile.Read(ref _subscriptions).Select(s => s.Subject)];

    /// <summary>The client port of the server the bus is connected to (0 when not connected).</summary>
    internal int ConnectedPort => IsConnected ? _connection.ServerInfo?.Port ?? 0 : 0;

    /// <summary>The NATS.Net connection (tests: to publish on it or hold up its events).</summary>
    internal NatsConnection Connection => _connection;

    /// <summary>Whether the connection to a server is up.</summary>
    public bool IsConnected => _connection.ConnectionState == NatsConnectionState.Open;

    /// <summary>The NATS-specific counters: sequence gaps, duplicates, malformed payloads by reason, disconnections.</summary>
    public NatsStatistics NatsStatistics => _counters.Snapshot();

    /// <inheritdoc/>
    public override string ChannelInfo => $"NATS bus {_subjects.Root} on {Servers}";

    /// <inheritdoc/>
    public override CanBusState State => IsConnected ? CanBusState.Active : CanBusState.Error;

    /// <inheritdoc/>
    public override CanProtocol Protocol => _options.Fd ? CanProtocol.CanFd : CanProtocol.Can20;

    /// <summary>The subject a frame goes to.</summary>
    /// <param name="message">The frame.</param>
    /// <returns>The subject.</returns>
    public string SubjectOf(in CanMessage message) => _subjects.For(message.IsExtendedId, message.ArbitrationId);

    /// <inheritdoc/>
    protected override bool ReceiveFrame(out CanMessage message, TimeSpan timeout) => _queue.TryRead(out message, timeout);

    /// <inheritdoc/>
    protected override ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken) => _queue.ReadAsync(cancellationToken);

    /// <inheritdoc/>
    protected override void SendFrame(in CanMessage message, TimeSpan timeout)
    {
        var subject = PrepareSend(message);
        if (!IsConnected && !AdmitWhileDisconnected(timeout, subject))
        {
            return;
        }

        var pending = _publisher.Publish(subject, message);
        if (pending.IsCompletedSuccessfully)
        {
            return;
        }

        var task = pending.AsTask();
        if (!IsConnected)
        {
            ObserveInBackground(task, subject); // buffered by the client until it reconnects
            return;
        }

        try
        {
            if (!task.Wait(timeout))
            {
                ObserveInBackground(task, subject);
                throw new CanTimeoutException($"Could not send to {subject} on {Servers} within {timeout.TotalSeconds:0.###} s.");
            }
        }
        catch (AggregateException ex)
        {
            throw SendFailed(subject, ex.InnerException ?? ex);
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask SendFrameAsync(CanMessage message, CancellationToken cancellationToken)
    {
        var subject = PrepareSend(message);
        if (!IsConnected && !AdmitWhileDisconnected(Timeout.InfiniteTimeSpan, subject, cancellationToken))
        {
            return;
        }

        try
        {
            await _publisher.Publish(subject, message).ConfigureAwait(false);
        }
        catch (NatsException ex)
        {
            throw SendFailed(subject, ex);
        }
    }

    /// <inheritdoc/>
    protected override bool ApplyFilters(ReadOnlySpan<CanFilter> filters)
    {
        var subjects = _subjects.SubscriptionsFor(filters, out var exact);
        var copy = filters.ToArray();
        RunBlocking(cancel => ResubscribeAsync(subjects, cancel), _options.ConnectTimeout, "subscribe");
        Volatile.Write(ref _serverFilters, copy);
        _exactServerSide = exact;
        _countGaps = copy.Length == 0;
        return exact;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseAsync().Wait(CloseTimeout * 2);
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override async ValueTask DisposeAsyncCore()
    {
        await CloseAsync().ConfigureAwait(false);
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _queue.Complete();
        try
        {
            if (IsConnected)
            {
                // A round trip after the last publish: what Send handed over has reached the server.
                using var flush = new CancellationTokenSource(CloseTimeout);
                await _connection.PingAsync(flush.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException)
        {
            // closing anyway
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _connected.Set(); // wakes senders blocked on a reconnect; they see the disposed bus
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var statistics = _counters.Snapshot();
            NatsBusLog.Closed(_logger, _subjects.Root, statistics);
        }
    }

    private string PrepareSend(in CanMessage message)
    {
        if (message.IsFd && !_options.Fd)
        {
            throw new CanOperationException($"Cannot send a CAN FD frame on {ChannelInfo}: the bus has CAN FD disabled (Fd = false).");
        }

        var subject = _subjects.For(message.IsExtendedId, message.ArbitrationId);
        if (_anyPublishViolation && _publishViolations.TryGetValue(subject, out var error))
        {
            throw new CanOperationException($"The NATS server {Servers} does not permit publishing to {subject}: {error}");
        }

        return subject;
    }

    /// <summary>Applies the disconnected-send policy; whether to publish (the client buffers it until it reconnects).</summary>
    private bool AdmitWhileDisconnected(TimeSpan timeout, string subject, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _pendingWhileDisconnected) <= _options.PendingWhileDisconnected)
        {
            return true;
        }

        var pending = Interlocked.Decrement(ref _pendingWhileDisconnected);
        if (_options.DisconnectedSendMode == NatsDisconnectedSendMode.DropNewest)
        {
            // The sequence number is spent: receivers see this frame as a gap, so the loss shows on both sides.
            _publisher.SkipSequence();
            CountDropped();
            var total = _counters.AddDroppedWhileDisconnected();
            if (total == 1 || total % 1000 == 0)
            {
                NatsBusLog.DroppedWhileDisconnected(_logger, _subjects.Root, pending, total);
            }

            return false;
        }

        // The connection state decides; the event-driven signal only wakes us early (the client raises its events on
        // its own task, so the signal can lag the state in either direction).
        var started = Stopwatch.GetTimestamp();
        while (!IsConnected)
        {
            ThrowIfDisposed();
            var step = TimeSpan.FromMilliseconds(20);
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                var left = timeout - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    throw new CanTimeoutException(
                        $"Could not send to {subject}: the NATS connection to {Servers} is down and {_options.PendingWhileDisconnected} frames already wait.");
                }

                step = left < step ? left : step;
            }

            if (_connected.IsSet)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(step);
            }
            else
            {
                _connected.Wait(step, cancellationToken);
            }
        }

        return true;
    }

    private static void ObserveInBackground(Task task, string subject) =>
        _ = task.ContinueWith(
            static (t, state) => _ = t.Exception,
            subject,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private CanOperationException SendFailed(string subject, Exception ex) =>
        new($"Could not send to {subject} on {Servers}: {ex.Message}", ex);
}
