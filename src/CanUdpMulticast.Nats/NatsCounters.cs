using CanUdpMulticast.Interfaces.UdpMulticast;

namespace CanUdpMulticast.Nats;

/// <summary>The live counters behind <see cref="NatsStatistics"/>, and the per-source sequence tracking.</summary>
internal sealed class NatsCounters
{
    private readonly long[] _malformed = new long[Enum.GetValues<MalformedDatagramReason>().Length + 1];
    private readonly Dictionary<ulong, long> _lastSequence = [];
    private long _delivered;
    private long _gaps;
    private long _duplicates;
    private long _untracked;
    private long _droppedDisconnected;
    private long _queueOverflows;
    private long _subjectMismatches;
    private long _disconnections;
    private long _reconnections;

    public long MalformedSinceReport;

    public long AddMalformed(MalformedDatagramReason reason) => Interlocked.Increment(ref _malformed[(int)reason]);

    public void AddDelivered() => Interlocked.Increment(ref _delivered);

    public void AddUntracked() => Interlocked.Increment(ref _untracked);

    public long AddDroppedWhileDisconnected() => Interlocked.Increment(ref _droppedDisconnected);

    public void AddQueueOverflow() => Interlocked.Increment(ref _queueOverflows);

    public void AddSubjectMismatch() => Interlocked.Increment(ref _subjectMismatches);

    public void AddDisconnection() => Interlocked.Increment(ref _disconnections);

    public void AddReconnection() => Interlocked.Increment(ref _reconnections);

    /// <summary>Tracks a frame's sequence number; the number of frames missing before it (0 when in order).</summary>
    /// <param name="source">The sender's source id.</param>
    /// <param name="sequence">The frame's sequence number.</param>
    /// <param name="countGaps">Whether a gap is a loss (every frame of the bus is subscribed).</param>
    /// <returns>Whether the frame is new (not a duplicate).</returns>
    public bool Track(ulong source, long sequence, bool countGaps)
    {
        lock (_lastSequence)
        {
            if (!_lastSequence.TryGetValue(source, out var last))
            {
                _lastSequence[source] = sequence; // frames before the first one seen were sent before we listened
                return true;
            }

            if (sequence <= last)
            {
                _duplicates++;
                return false;
            }

            if (countGaps && sequence > last + 1)
            {
                _gaps += sequence - last - 1;
            }

            _lastSequence[source] = sequence;
            return true;
        }
    }

    public NatsStatistics Snapshot()
    {
        var byReason = new Dictionary<MalformedDatagramReason, long>();
        foreach (var reason in Enum.GetValues<MalformedDatagramReason>())
        {
            var count = Interlocked.Read(ref _malformed[(int)reason]);
            if (count > 0)
            {
                byReason[reason] = count;
            }
        }

        long gaps, duplicates;
        lock (_lastSequence)
        {
            gaps = _gaps;
            duplicates = _duplicates;
        }

        return new NatsStatistics
        {
            Delivered = Interlocked.Read(ref _delivered),
            SequenceGaps = gaps,
            Duplicates = duplicates,
            Untracked = Interlocked.Read(ref _untracked),
            DroppedWhileDisconnected = Interlocked.Read(ref _droppedDisconnected),
            ReceiveQueueOverflows = Interlocked.Read(ref _queueOverflows),
            MalformedByReason = byReason,
            SubjectMismatches = Interlocked.Read(ref _subjectMismatches),
            Disconnections = Interlocked.Read(ref _disconnections),
            Reconnections = Interlocked.Read(ref _reconnections),
        };
    }
}
