using System.Collections.Concurrent;

namespace CanUdpMulticast.Tests.Core;

/// <summary>
/// A backend whose asynchronous operations complete when the test says: every <see cref="ReceiveFrameAsync"/> and
/// <see cref="SendFrameAsync"/> hands out a pending task the test completes (with a frame, closed, or an exception).
/// Frames put in <see cref="Ready"/> are taken at once by the non-waiting receive.
/// </summary>
internal sealed class ControlledBus : CanBus
{
    private readonly BlockingCollection<TaskCompletionSource<CanMessage?>> _receives = [];
    private readonly BlockingCollection<TaskCompletionSource> _sends = [];

    /// <summary>Frames already there.</summary>
    public ConcurrentQueue<CanMessage> Ready { get; } = new();

    /// <summary>The token the last <see cref="ReceiveFrameAsync"/> was given.</summary>
    public CancellationToken LastReceiveToken { get; private set; }

    /// <summary>The next pending asynchronous receive (waits up to 10 s for the bus to start one).</summary>
    public TaskCompletionSource<CanMessage?> NextReceive() =>
        _receives.TryTake(out var pending, TimeSpan.FromSeconds(10)) ? pending : throw new TimeoutException("no asynchronous receive started");

    /// <summary>The next pending asynchronous send.</summary>
    public TaskCompletionSource NextSend() =>
        _sends.TryTake(out var pending, TimeSpan.FromSeconds(10)) ? pending : throw new TimeoutException("no asynchronous send started");

    protected override bool ReceiveFrame(out CanMessage message, TimeSpan timeout) => Ready.TryDequeue(out message);

    protected override ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        LastReceiveToken = cancellationToken;
        var pending = new TaskCompletionSource<CanMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
        _receives.Add(pending, CancellationToken.None);
        return new ValueTask<CanMessage?>(pending.Task);
    }

    protected override void SendFrame(in CanMessage message, TimeSpan timeout)
    {
    }

    protected override ValueTask SendFrameAsync(CanMessage message, CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sends.Add(pending, CancellationToken.None);
        return new ValueTask(pending.Task);
    }

    protected override void Dispose(bool disposing)
    {
        _receives.Dispose();
        _sends.Dispose();
        base.Dispose(disposing);
    }
}
