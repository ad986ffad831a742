using System.Buffers;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Wire;

namespace CanUdpMulticast.Nats;

/// <summary>The receive path of <see cref="NatsBus"/>: from a message's raw header block and payload to the queue.</summary>
public sealed partial class NatsBus
{
    /// <summary>How often <see cref="ReceiveFrames"/> looks again before it blocks (the later rounds yield the CPU).</summary>
    private const int ReceiveSpins = 20;

    /// <summary>How many frames the read loop has queued so far (wraps); lets a spinning reader skip the queue's lock.</summary>
    private int _framesQueued;

    /// <inheritdoc/>
    /// <remarks>Spins briefly before it blocks: when frames arrive a few microseconds apart, a reader that sleeps on
    /// the empty queue costs the connection's read loop a wake-up system call, and both threads a context switch, for
    /// nearly every frame.</remarks>
    protected override int ReceiveFrames(Span<CanMessage> destination, TimeSpan timeout)
    {
        var queued = Volatile.Read(ref _framesQueued);
        var count = TakeQueued(destination);
        if (count > 0 || timeout == TimeSpan.Zero)
        {
            return count;
        }

        // While spinning, look at the queue's lock only when the read loop has queued something since: a reader that
        // polls the queue under its lock makes the read loop's next write wait for that lock's cache line.
        var spinner = default(SpinWait);
        for (var i = 0; i < ReceiveSpins; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            var now = Volatile.Read(ref _framesQueued);
            if (now == queued)
            {
                continue;
            }

            queued = now;
            count = TakeQueued(destination);
            if (count > 0)
            {
                return count;
            }
        }

        return _queue.TryRead(out destination[0], timeout) ? 1 + TakeQueued(destination[1..]) : 0;
    }

    private int TakeQueued(Span<CanMessage> destination)
    {
        var count = 0;
        while (count < destination.Length && _queue.TryRead(out destination[count]))
        {
            count++;
        }

        return count;
    }

    /// <summary>Called by the connection's read loop for each message of a subscription.</summary>
    internal void OnFrame(string subject, in ReadOnlySequence<byte>? headers, in ReadOnlySequence<byte> payload)
    {
        _counters.AddDelivered();
        var reason = Decode(payload, out var message);
        if (reason != MalformedDatagramReason.None)
        {
            CountMalformed();
            _counters.AddMalformed(reason);
            var since = Interlocked.Increment(ref _counters.MalformedSinceReport);
            if (since == 1 || since % 1000 == 0)
            {
                NatsBusLog.Malformed(_logger, _subjects.Root, subject, (int)payload.Length, reason, Interlocked.Exchange(ref _counters.MalformedSinceReport, 0));
            }

            return;
        }

        var own = false;
        if (headers is { } block && NatsFrameHeaders.TryRead(block, out var source, out var sequence, out var sendTime))
        {
            own = source == _sourceId;
            if (own && !_options.ReceiveOwnMessages)
            {
                return;
            }

            if (!_counters.Track(source, sequence, _countGaps))
            {
                return; // a duplicate
            }

            if (_options.PreserveTimestamps && sendTime > 0 && message.Timestamp == 0)
            {
                message = message with { Timestamp = sendTime / 1e6 };
            }
        }
        else
        {
            _counters.AddUntracked();
        }

        if (_exactServerSide && !CanFilter.MatchesAny(Volatile.Read(ref _serverFilters), message))
        {
            // The id does not belong to the subject (a foreign publisher): the server-side filter would be bypassed.
            CountMalformed();
            _counters.AddSubjectMismatch();
            return;
        }

        if (message.IsFd && !_options.Fd)
        {
            CountDropped();
            return;
        }

        if (own || !_options.PreserveTimestamps)
        {
            message = message with { IsRx = !own, Timestamp = _options.PreserveTimestamps ? message.Timestamp : CanClock.Now() };
        }

        if (_queue.Write(message, TimeSpan.Zero) != CanFrameQueueWriteResult.Written)
        {
            CountDropped();
            _counters.AddQueueOverflow();
            return;
        }

        // One writer (the connection's read loop): a plain increment, published for ReceiveFrames' spin.
        Volatile.Write(ref _framesQueued, _framesQueued + 1);
    }

    private static MalformedDatagramReason Decode(in ReadOnlySequence<byte> payload, out CanMessage message)
    {
        if (payload.IsSingleSegment)
        {
            return PythonCanWireFormat.Decode(payload.First, out message);
        }

        if (payload.Length > PythonCanWireFormat.MaxEncodedLength)
        {
            message = default;
            return MalformedDatagramReason.Oversized;
        }

        var copy = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        try
        {
            payload.CopyTo(copy);
            return PythonCanWireFormat.Decode(copy.AsMemory(0, (int)payload.Length), out message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
