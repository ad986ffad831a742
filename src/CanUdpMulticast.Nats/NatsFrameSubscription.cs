using System.Buffers;
using NATS.Client.Core;

namespace CanUdpMulticast.Nats;

/// <summary>
/// One subscription of a <see cref="NatsBus"/>: the connection's read loop hands each message's raw header block
/// and payload straight to the bus (no NatsMsg, no channel in between, nothing allocated here).
/// </summary>
internal sealed class NatsFrameSubscription : NatsSubBase
{
    private readonly NatsBus _bus;

    public NatsFrameSubscription(NatsConnection connection, string subject, NatsBus bus)
        : base(connection, connection.SubscriptionManager, subject, queueGroup: null, opts: null)
    {
        _bus = bus;
    }

    protected override ValueTask ReceiveInternalAsync(string subject, string? replyTo, ReadOnlySequence<byte>? headersBuffer, ReadOnlySequence<byte> payloadBuffer)
    {
        _bus.OnFrame(subject, headersBuffer, payloadBuffer);
        return default;
    }

    protected override void TryComplete()
    {
    }
}
