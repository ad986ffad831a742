using System.Threading.Channels;

namespace CanUdpMulticast.Tests.Core;

/// <summary>
/// A whole push-based backend: whatever a peer sends is pushed into a <see cref="Channel{T}"/> (as a push client's
/// callback would), and the two receive primitives take from it. Everything else (filters, timeouts, statistics,
/// disposal, periodic sending) comes from <see cref="CanBus"/>. The example in docs/architecture.md.
/// </summary>
internal sealed class ChannelBus : CanBus
{
    private readonly Channel<CanMessage> _incoming = Channel.CreateUnbounded<CanMessage>();
    private readonly CancellationTokenSource _closed = new();

    /// <summary>The bus that receives what this one sends.</summary>
    public ChannelBus? Peer { get; set; }

    /// <summary>What a push client's callback does with a frame that arrived.</summary>
    public void Push(in CanMessage message) => _incoming.Writer.TryWrite(message);

    protected override bool ReceiveFrame(out CanMessage message, TimeSpan timeout)
    {
        if (_incoming.Reader.TryRead(out message))
        {
            return true;
        }

        if (timeout == TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            // A test backend may block a thread on a task; a production one would use CanFrameQueue.
            if (!_incoming.Reader.WaitToReadAsync(_closed.Token).AsTask().Wait(timeout))
            {
                return false;
            }
        }
        catch (AggregateException ex) when (ex.InnerException is OperationCanceledException)
        {
            return false; // disposed
        }

        return _incoming.Reader.TryRead(out message);
    }

    protected override async ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        while (await _incoming.Reader.WaitToReadAsync(cancellationToken))
        {
            if (_incoming.Reader.TryRead(out var message))
            {
                return message;
            }
        }

        return null; // completed by Dispose
    }

    protected override void SendFrame(in CanMessage message, TimeSpan timeout) => Peer?.Push(message);

    protected override void Dispose(bool disposing)
    {
        _incoming.Writer.TryComplete();
        _closed.Cancel(); // not disposed: a receive racing the dispose may still read its token
        base.Dispose(disposing);
    }
}
