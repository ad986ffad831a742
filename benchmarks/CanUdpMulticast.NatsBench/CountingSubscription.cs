using System.Buffers;
using NATS.Client.Core;

/// <summary>
/// The thinnest NATS.Net subscriber: a <see cref="NatsSubBase"/> that only counts (the bus's receive path uses the same
/// hook), so what the process allocates per received frame is what NATS.Net's read loop itself allocates.
/// </summary>
internal sealed class CountingSubscription : NatsSubBase
{
    private readonly int _target;
    private int _count;

    public CountingSubscription(NatsConnection connection, string subject, int target)
        : base(connection, connection.SubscriptionManager, subject, queueGroup: null, opts: null) => _target = target;

    public int Count => Volatile.Read(ref _count);

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override ValueTask ReceiveInternalAsync(string subject, string? replyTo, ReadOnlySequence<byte>? headersBuffer, ReadOnlySequence<byte> payloadBuffer)
    {
        if (Interlocked.Increment(ref _count) == _target)
        {
            Done.TrySetResult();
        }

        return default;
    }

    protected override void TryComplete()
    {
    }
}
