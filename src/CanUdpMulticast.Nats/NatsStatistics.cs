using CanUdpMulticast.Wire;

namespace CanUdpMulticast.Nats;

/// <summary>What a <see cref="NatsBus"/> counted beyond <see cref="CanBus.Statistics"/>: every loss made visible.</summary>
public sealed record NatsStatistics
{
    /// <summary>Messages the server delivered to this bus's subscriptions (before any check or filter).</summary>
    public long Delivered { get; init; }

    /// <summary>Frames other buses sent that never arrived here: the sum of the gaps in their sequence numbers.
    /// Counted only while the bus subscribes to every frame (no server-side filter), since filtered frames leave gaps too.</summary>
    public long SequenceGaps { get; init; }

    /// <summary>Frames that arrived a second time (a sequence number already seen, or one too old to tell); dropped.</summary>
    public long Duplicates { get; init; }

    /// <summary>Frames that arrived after a newer frame of the same sender (they fill a gap counted earlier, which is
    /// then un-counted); seen after a reconnect, when the client re-sends what it had buffered.</summary>
    public long LateArrivals { get; init; }

    /// <summary>Frames without the source/sequence headers (published by something other than a <see cref="NatsBus"/>); delivered, not tracked.</summary>
    public long Untracked { get; init; }

    /// <summary>Frames this bus sent while disconnected and dropped (<see cref="NatsDisconnectedSendMode.DropNewest"/>).</summary>
    public long DroppedWhileDisconnected { get; init; }

    /// <summary>Received frames dropped because the receive queue was full.</summary>
    public long ReceiveQueueOverflows { get; init; }

    /// <summary>Malformed payloads, by reason (all dropped).</summary>
    public IReadOnlyDictionary<MalformedDatagramReason, long> MalformedByReason { get; init; } = new Dictionary<MalformedDatagramReason, long>();

    /// <summary>Frames whose id does not belong to the subject they came on (a foreign publisher); dropped.</summary>
    public long SubjectMismatches { get; init; }

    /// <summary>How often the connection was lost.</summary>
    public long Disconnections { get; init; }

    /// <summary>How often the connection was (re-)established after a loss.</summary>
    public long Reconnections { get; init; }
}
