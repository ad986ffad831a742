namespace CanUdpMulticast.Tests.Notifications;

/// <summary>An in-memory bus whose asynchronous wait fails a given number of times before it works.</summary>
internal sealed class FlakyBus(int failures) : CanBus
{
    private readonly CanFrameQueue _queue = new();
    private int _failuresLeft = failures;

    public void Inject(in CanMessage message) => _queue.Write(message, Timeout.InfiniteTimeSpan);

    protected override bool ReceiveFrame(out CanMessage message, TimeSpan timeout) => _queue.TryRead(out message, timeout);

    protected override ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken) =>
        Interlocked.Decrement(ref _failuresLeft) >= 0
            ? ValueTask.FromException<CanMessage?>(new CanOperationException("the adapter hiccupped"))
            : _queue.ReadAsync(cancellationToken);

    protected override void SendFrame(in CanMessage message, TimeSpan timeout) => _queue.Write(message, timeout);

    protected override void Dispose(bool disposing)
    {
        _queue.Complete();
        base.Dispose(disposing);
    }
}
