using System.Buffers;
using NATS.Client.Core;

/// <summary>
/// The thinnest NATS.Net subscriber: a <see cref="NatsSubBase"/> that only counts (the bus's receive path uses the same
/// hook), so what the process allocates per received frame is what NATS.Net's read loop itself allocates.
/// </summary>
internal sealed class CountingSubscription : NatsSubBase
{
    private int _target;
    private int _count;

    public CountingSubscription(NatsConnection connection, string subject)
        : base(connection, connection.SubscriptionManager, subject, queueGroup: null, opts: null)
    {
    }

    public int Count => Volatile.Read(ref _count);

    public TaskCompletionSource Done { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts a new count: <see cref="Done"/> completes when <paramref name="target"/> messages have arrived.</summary>
    public void Expect(int target)
    {
        Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _count, 0);
        _target = target;
    }

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
