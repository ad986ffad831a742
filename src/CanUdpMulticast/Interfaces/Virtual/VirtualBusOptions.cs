namespace CanUdpMulticast.Interfaces.Virtual;

/// <summary>Options of a <see cref="VirtualBus"/> (python-can's <c>VirtualBus</c> keyword arguments).</summary>
public sealed record VirtualBusOptions
{
    /// <summary>The default channel name, as in python-can.</summary>
    public const string DefaultChannel = "channel-0";

    /// <summary>The channel: every bus in this process on the same channel sees every frame the others send.</summary>
    public string Channel { get; init; } = DefaultChannel;

    /// <summary>Whether the sender also receives its own frames (with <see cref="CanMessage.IsRx"/> <see langword="false"/>).</summary>
    public bool ReceiveOwnMessages { get; init; }

    /// <summary>Whether sent frames keep their timestamp instead of getting the send time.</summary>
    public bool PreserveTimestamps { get; init; }

    /// <summary>The most frames this bus queues for its reader; 0 (the default) means unbounded, as in python-can.</summary>
    public int ReceiveQueueCapacity { get; init; }

    /// <summary>What happens when a bounded receive queue is full; by default the new frame is dropped and counted.</summary>
    public QueueFullMode QueueFullMode { get; init; } = QueueFullMode.DropNewest;

    /// <summary>The protocol the bus reports (it carries CAN FD frames either way, like python-can's).</summary>
    public CanProtocol Protocol { get; init; } = CanProtocol.Can20;

    /// <summary>Initial acceptance filters.</summary>
    public IReadOnlyList<CanFilter>? Filters { get; init; }
}
