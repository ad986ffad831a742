using System.Runtime.InteropServices;
using NATS.Client.Core;

namespace CanUdpMulticast.Nats;

/// <summary>
/// The publish path of a <see cref="NatsBus"/>: numbers each frame, stamps the <see cref="NatsFrameHeaders.Name"/>
/// header and hands the frame to the client, which writes python-can's map straight into its send buffer.
/// </summary>
/// <remarks>
/// NATS.Net takes headers only as a <see cref="NatsHeaders"/> of strings and encodes them into its buffer during
/// the publish call. So that a frame allocates nothing, one header object and one value string are reused: the value
/// has a fixed width and is rewritten in place for the next frame, but only after a publish that completed
/// synchronously (the client has then encoded it). A publish that did not complete (back-pressure, a reconnect) may
/// still read its headers later: that object and string are abandoned and fresh ones made.
/// </remarks>
internal sealed class NatsFramePublisher
{
    private readonly NatsConnection _connection;
    private readonly ulong _sourceId;
    private readonly Lock _lock = new();
    private NatsHeaders? _headers;
    private string? _value;
    private int _sequenceDigits;
    private long _sequence;

    public NatsFramePublisher(NatsConnection connection, ulong sourceId)
    {
        _connection = connection;
        _sourceId = sourceId;
    }

    /// <summary>Publishes a frame with the next sequence number.</summary>
    public ValueTask Publish(string subject, in CanMessage message)
    {
        // One lock: sequence numbers go out in order even with several sending threads, and the reused header value
        // is never rewritten while a publish reads it.
        lock (_lock)
        {
            var sequence = ++_sequence;
            var time = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
            var headers = _headers;
            _headers = null;
            if (headers is { Count: not 1 })
            {
                headers.Clear(); // the client added a key (a trace context while a listener was attached): not for the next frame
                headers[NatsFrameHeaders.Name] = _value!;
            }

            if (headers is null || !TryRewrite(_value!, sequence, time))
            {
                _value = NewValue(sequence, time);
                headers ??= new NatsHeaders();
                headers[NatsFrameHeaders.Name] = _value;
            }

            var pending = _connection.PublishAsync(subject, message, headers, replyTo: null, CanMessageNatsSerializer.Instance);
            if (pending.IsCompleted)
            {
                _headers = headers;
            }

            return pending;
        }
    }

    /// <summary>Spends a sequence number on a frame that is not sent, so receivers count it as a gap.</summary>
    public void SkipSequence()
    {
        lock (_lock)
        {
            _sequence++;
        }
    }

    private string NewValue(long sequence, long time)
    {
        _sequenceDigits = Math.Max(NatsFrameHeaders.SequenceDigits, NatsFrameHeaders.HexDigits((ulong)sequence));
        var timeDigits = Math.Max(NatsFrameHeaders.TimeDigits, NatsFrameHeaders.HexDigits((ulong)time));
        var value = new string('0', 16 + 1 + _sequenceDigits + 1 + timeDigits);
        var chars = Writable(value);
        NatsFrameHeaders.TryWriteHex(chars[..16], _sourceId);
        chars[16] = '.';
        chars[17 + _sequenceDigits] = '.';
        _ = TryRewrite(value, sequence, time);
        return value;
    }

    /// <summary>Writes the sequence number and time into the value's fixed-width fields; false when one no longer fits.</summary>
    private bool TryRewrite(string value, long sequence, long time)
    {
        var chars = Writable(value);
        return NatsFrameHeaders.TryWriteHex(chars.Slice(17, _sequenceDigits), (ulong)sequence)
            && NatsFrameHeaders.TryWriteHex(chars[(18 + _sequenceDigits)..], (ulong)time);
    }

    // The value strings are this type's own (created above, never interned, never handed out except to the client for
    // the duration of one synchronous publish), so writing into them is safe.
    private static Span<char> Writable(string value) =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(value.AsSpan()), value.Length);
}
