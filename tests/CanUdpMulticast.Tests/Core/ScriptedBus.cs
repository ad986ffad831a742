namespace CanUdpMulticast.Tests.Core;

/// <summary>A minimal backend over a <see cref="CanFrameQueue"/> that records how the base class drives the backend core.</summary>
internal sealed class ScriptedBus : CanBus
{
    private readonly List<CanMessage> _sent = [];
    private int _disposeCalls;
    private int _readFramesCalls;

    public CanFrameQueue Incoming { get; } = new();

    /// <summary>What <see cref="ApplyFilters"/> answers: whether the "hardware" filters.</summary>
    public bool FiltersInBackend { get; set; }

    /// <summary>When set, <see cref="SendFrameAsync"/> completes only when this task does.</summary>
    public Task? AsyncSendGate { get; set; }

    public List<CanFilter[]> AppliedFilters { get; } = [];

    public List<TimeSpan> SendTimeouts { get; } = [];

    public int DisposeCalls => Volatile.Read(ref _disposeCalls);

    public int ReadFramesCalls => Volatile.Read(ref _readFramesCalls);

    public IReadOnlyList<CanMessage> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public void Deliver(params CanMessage[] messages)
    {
        foreach (var message in messages)
        {
            Incoming.Write(message, TimeSpan.Zero);
        }
    }

    protected override bool ReceiveFrame(out CanMessage message, TimeSpan timeout) => Incoming.TryRead(out message, timeout);

    protected override int ReceiveFrames(Span<CanMessage> destination, TimeSpan timeout)
    {
        Interlocked.Increment(ref _readFramesCalls);
        return base.ReceiveFrames(destination, timeout);
    }

    protected override ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken) => Incoming.ReadAsync(cancellationToken);

    protected override void SendFrame(in CanMessage message, TimeSpan timeout)
    {
        lock (_sent)
        {
            _sent.Add(message);
            SendTimeouts.Add(timeout);
        }
    }

    protected override ValueTask SendFrameAsync(CanMessage message, CancellationToken cancellationToken)
    {
        if (AsyncSendGate is not { } gate)
        {
            return base.SendFrameAsync(message, cancellationToken);
        }

        return new ValueTask(SendLater(gate, message));
    }

    protected override bool ApplyFilters(ReadOnlySpan<CanFilter> filters)
    {
        AppliedFilters.Add(filters.ToArray());
        return FiltersInBackend;
    }

    protected override void Dispose(bool disposing)
    {
        Interlocked.Increment(ref _disposeCalls);
        Incoming.Complete();
        base.Dispose(disposing);
    }

    private async Task SendLater(Task gate, CanMessage message)
    {
        await gate.ConfigureAwait(false);
        SendFrame(message, Timeout.InfiniteTimeSpan);
    }
}
