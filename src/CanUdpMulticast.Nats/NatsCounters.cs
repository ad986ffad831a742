using CanUdpMulticast.Wire;

namespace CanUdpMulticast.Nats;

/// <summary>The live counters behind <see cref="NatsStatistics"/>, and the per-source sequence tracking.</summary>
internal sealed class NatsCounters
{
    private readonly long[] _malformed = new long[Enum.GetValues<MalformedDatagramReason>().Length + 1];
    private const int Window = 4096;
    private readonly Dictionary<ulong, SequenceWindow> _sources = [];
    private readonly Lock _gate = new();

    // The source of the previous frame and its window: a bus mostly hears one sender at a time, so most frames skip
    // the dictionary. Guarded by _gate.
    private ulong _lastSource;
    private SequenceWindow? _lastWindow;
    private long _delivered;
    private long _gaps;
    private long _duplicates;
    private long _late;
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

    /// <summary>Tracks a frame's sequence number against a window of the last <see cref="Window"/> numbers per source.</summary>
    /// <param name="source">The sender's source id.</param>
    /// <param name="sequence">The frame's sequence number.</param>
    /// <param name="countGaps">Whether a gap is a loss (every frame of the bus is subscribed).</param>
    /// <returns>Whether the frame is new (not a duplicate); a late frame that fills a gap is new and un-counts it.</returns>
    public bool Track(ulong source, long sequence, bool countGaps)
    {
        lock (_gate)
        {
            var seen = source == _lastSource ? _lastWindow : null;
            if (seen is null && !_sources.TryGetValue(source, out seen))
            {
                // Frames before the first one seen were sent before we listened: not a gap.
                seen = new SequenceWindow { Last = sequence };
                seen.Mark(sequence);
                _sources[source] = seen;
                (_lastSource, _lastWindow) = (source, seen);
                return true;
            }

            (_lastSource, _lastWindow) = (source, seen);

            if (sequence > seen.Last)
            {
                seen.Advance(sequence);
                if (countGaps)
                {
                    _gaps += sequence - seen.Last - 1;
                }

                seen.Last = sequence;
                seen.Mark(sequence);
                return true;
            }

            if (seen.Last - sequence >= Window || seen.IsMarked(sequence))
            {
                _duplicates++;
                return false;
            }

            // Late: it overtook nothing, something overtook it (e.g. a publish the client re-sent after a reconnect).
            seen.Mark(sequence);
            _late++;
            if (countGaps && _gaps > 0)
            {
                _gaps--;
            }

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

        long gaps, duplicates, late;
        lock (_gate)
        {
            gaps = _gaps;
            duplicates = _duplicates;
            late = _late;
        }

        return new NatsStatistics
        {
            Delivered = Interlocked.Read(ref _delivered),
            SequenceGaps = gaps,
            Duplicates = duplicates,
            LateArrivals = late,
            Untracked = Interlocked.Read(ref _untracked),
            DroppedWhileDisconnected = Interlocked.Read(ref _droppedDisconnected),
            ReceiveQueueOverflows = Interlocked.Read(ref _queueOverflows),
            MalformedByReason = byReason,
            SubjectMismatches = Interlocked.Read(ref _subjectMismatches),
            Disconnections = Interlocked.Read(ref _disconnections),
            Reconnections = Interlocked.Read(ref _reconnections),
        };
    }

    /// <summary>Which of the last <see cref="Window"/> sequence numbers of one source arrived (a ring of bits).</summary>
    private sealed class SequenceWindow
    {
        private readonly ulong[] _bits = new ulong[Window / 64];

        public long Last { get; set; }

        public bool IsMarked(long sequence) => (_bits[Slot(sequence)] & Bit(sequence)) != 0;

        public void Mark(long sequence) => _bits[Slot(sequence)] |= Bit(sequence);

        /// <summary>Clears the slots of the numbers after <see cref="Last"/> up to <paramref name="sequence"/> (not arrived yet).</summary>
        public void Advance(long sequence)
        {
            if (sequence - Last >= Window)
            {
                Array.Clear(_bits);
                return;
            }

            for (var s = Last + 1; s <= sequence; s++)
            {
                _bits[Slot(s)] &= ~Bit(s);
            }
        }

        private static int Slot(long sequence) => (int)((sequence / 64) % (Window / 64));

        private static ulong Bit(long sequence) => 1UL << (int)(sequence % 64);
    }
}
