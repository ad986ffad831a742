namespace CanUdpMulticast.Tests.Periodic;

/// <summary>
/// A bus that records every frame sent with the time of the test clock, and can run a hook on each send
/// (to fail it, or to make it "take time" by advancing a fake clock).
/// </summary>
internal sealed class RecordingBus(TimeProvider clock) : CanBus
{
    private readonly long _origin = clock.GetTimestamp();
    private readonly Lock _gate = new();
    private readonly List<(CanMessage Message, TimeSpan At)> _sent = [];

    /// <summary>Runs before a frame is recorded; throwing makes the send fail.</summary>
    public Action<CanMessage>? OnSend { get; set; }

    public IReadOnlyList<(CanMessage Message, TimeSpan At)> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public IReadOnlyList<TimeSpan> SendTimes => Sent.Select(s => s.At).ToList();

    public int SendCount
    {
        get
        {
            lock (_gate)
            {
                return _sent.Count;
            }
        }
    }

    // Periodic tests only send; this bus never receives anything.
    protected override bool ReceiveFrame(out CanMessage message, TimeSpan timeout)
    {
        message = default;
        return false;
    }

    protected override ValueTask<CanMessage?> ReceiveFrameAsync(CancellationToken cancellationToken) => new((CanMessage?)null);

    protected override void SendFrame(in CanMessage message, TimeSpan timeout)
    {
        OnSend?.Invoke(message);
        lock (_gate)
        {
            _sent.Add((message, clock.GetElapsedTime(_origin)));
        }
    }
}
