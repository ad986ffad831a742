namespace CanUdpMulticast.Interfaces.Virtual;

/// <summary>
/// An in-process CAN bus (python-can's <c>virtual</c> interface): every bus on the same channel name in this
/// process gets its own copy of every frame the others send, reliably and in order. For tests and simulations.
/// </summary>
/// <remarks>
/// <para>Frames arrive with the sender's channel name as <see cref="CanMessage.Channel"/> and, unless
/// <see cref="VirtualBusOptions.PreserveTimestamps"/> is set, the send time as timestamp.</para>
/// <para>A bounded receive queue that is full drops the new frame for that reader and counts it in
/// <see cref="CanBusStatistics.FramesDropped"/>; the sender and the other readers are not affected. python-can
/// documents dropping but its code blocks the sender, which lets one slow reader stall the whole simulated bus;
/// <see cref="QueueFullMode.Wait"/> restores that behaviour where it is wanted.</para>
/// </remarks>
public sealed class VirtualBus : CanBus
{
    private static readonly Dictionary<string, List<VirtualBus>> Channels = new(StringComparer.Ordinal);
    private static readonly Lock ChannelsGate = new();

    private readonly VirtualBusOptions _options;
    private readonly CanFrameQueue _queue;
    private readonly CanChannel _channel;

    // Snapshot of the buses on this channel, replaced on join/leave so Send iterates without a lock.
    private List<VirtualBus> _peers;

    /// <summary>Opens a bus on a channel with default options.</summary>
    /// <param name="channel">The channel name.</param>
    public VirtualBus(string channel = VirtualBusOptions.DefaultChannel)
        : this(new VirtualBusOptions { Channel = channel })
    {
    }

    /// <summary>Opens a bus.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="CanInitializationException">An option is out of range.</exception>
    public VirtualBus(VirtualBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.Channel))
        {
            throw new CanInitializationException("A virtual bus needs a non-empty channel name.");
        }

        if (options.ReceiveQueueCapacity < 0)
        {
            throw new CanInitializationException($"ReceiveQueueCapacity must be 0 (unbounded) or positive, not {options.ReceiveQueueCapacity}.");
        }

        _options = options;
        _channel = options.Channel;
        _queue = new CanFrameQueue(options.ReceiveQueueCapacity, options.QueueFullMode);
        if (options.Filters is { Count: > 0 } filters)
        {
            SetFilters(filters);
        }

        lock (ChannelsGate)
        {
            var peers = Channels.TryGetValue(options.Channel, out var existing) ? new List<VirtualBus>(existing) : [];
            peers.Add(this);
            Channels[options.Channel] = peers;
            foreach (var peer in peers)
            {
                Volatile.Write(ref peer._peers, peers);
            }

            _peers = peers;
        }
    }

    /// <summary>The channel name.</summary>
    public string Channel => _options.Channel;

    internal override string DefaultMetricInterface => "virtual";

    internal override string DefaultMetricChannel => _options.Channel;

    /// <inheritdoc/>
    public override string ChannelInfo => $"Virtual bus channel {_options.Channel}";

    /// <inheritdoc/>
    public override CanProtocol Protocol => _options.Protocol;

    /// <summary>The channel names that have open buses in this process.</summary>
    /// <returns>The names.</returns>
    public static IReadOnlyList<string> ChannelsInUse()
    {
        lock (ChannelsGate)
        {
            return [.. Channels.Keys];
        }
    }

    /// <summary>
    /// python-can's detector: one configuration for each channel in use plus one unused channel name.
    /// </summary>
    /// <returns>The configurations.</returns>
    public static IReadOnlyList<string> DetectChannels()
    {
        var inUse = ChannelsInUse();
        var result = new List<string>(inUse);
        string free;
        do
        {
            free = $"channel-{Random.Shared.Next(0, 10_000)}";
        }
        while (inUse.Contains(free));

        result.Add(free);
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReceiveFrame(out CanMessage message, TimeSpan timeout) => _queue.TryRead(out message, timeout);

    /// <inheritdoc/>
    protected override ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken) => _queue.ReadAsync(cancellationToken);

    /// <inheritdoc/>
    protected override void SendFrame(in CanMessage message, TimeSpan timeout)
    {
        var timestamp = _options.PreserveTimestamps ? message.Timestamp : CanClock.Now();
        var received = message;
        CanMessage.SetReception(ref received, timestamp, isRx: true);
        CanMessage.SetChannel(ref received, _channel);
        var failed = 0;
        foreach (var peer in Volatile.Read(ref _peers))
        {
            CanFrameQueueWriteResult result;
            if (peer == this)
            {
                if (!_options.ReceiveOwnMessages)
                {
                    continue;
                }

                var own = received;
                CanMessage.SetReception(ref own, timestamp, isRx: false);
                result = peer._queue.Write(own, timeout);
            }
            else
            {
                result = peer._queue.Write(received, timeout);
            }

            switch (result)
            {
                case CanFrameQueueWriteResult.Dropped or CanFrameQueueWriteResult.WrittenAfterDroppingOldest:
                    peer.CountDropped();
                    break;
                case CanFrameQueueWriteResult.TimedOut:
                    peer.CountDropped();
                    failed++;
                    break;
            }
        }

        if (failed > 0)
        {
            throw new CanTimeoutException($"Could not deliver the frame to {failed} receiver(s) of virtual channel '{_options.Channel}' within {timeout}: their receive queues stayed full.");
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        lock (ChannelsGate)
        {
            if (Channels.TryGetValue(_options.Channel, out var existing))
            {
                var peers = new List<VirtualBus>(existing);
                peers.Remove(this);
                if (peers.Count == 0)
                {
                    Channels.Remove(_options.Channel);
                }
                else
                {
                    Channels[_options.Channel] = peers;
                    foreach (var peer in peers)
                    {
                        Volatile.Write(ref peer._peers, peers);
                    }
                }
            }
        }

        _queue.Complete();
        base.Dispose(disposing);
    }
}
