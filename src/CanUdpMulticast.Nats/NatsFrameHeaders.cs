using System.Buffers;
using System.Globalization;

namespace CanUdpMulticast.Nats;

/// <summary>
/// The one NATS header a <see cref="NatsBus"/> adds to each frame (what a UDP datagram cannot carry), form 1:
/// <c>Can-Src: &lt;source&gt;.&lt;sequence&gt;.&lt;send time&gt;</c>, three fields in hexadecimal (upper or lower case,
/// leading zeros allowed, 1 to 16 digits each) separated by dots. <c>source</c> is the sending bus's random id (own-echo
/// suppression, bridge loop prevention; never 0), <c>sequence</c> its per-source frame number (1 for the first frame;
/// gaps and duplicates become visible), <c>send time</c> microseconds since the Unix epoch.
/// Example: <c>Can-Src: 3F2A9C04D1E87B65.0000002A.63A1F09B3C2D0</c>.
/// </summary>
/// <remarks>
/// Versioning: a later form may append fields after a fourth dot, which readers of form 1 ignore; a change to the
/// meaning of the first three fields takes a new header name. The sender pads the sequence to 8 and the time to 13
/// digits so that it can rewrite one buffer in place for every frame (nothing allocated per frame). There is no
/// shipped release with an older form (the three headers <c>Can-Source</c>, <c>Can-Seq</c>, <c>Can-Time</c> of the
/// development builds), so none is read. Recordings replay from the payload alone, whatever their headers.
/// </remarks>
public static class NatsFrameHeaders
{
    /// <summary>The header's name.</summary>
    public const string Name = "Can-Src";

    /// <summary>How many hex digits the sender writes for the sequence number at least (more when it grows past them).</summary>
    internal const int SequenceDigits = 8;

    /// <summary>How many hex digits the sender writes for the send time at least (13 hold microseconds until 2112).</summary>
    internal const int TimeDigits = 13;

    private const int SourceDigits = 16;

    /// <summary>Formats a header value.</summary>
    /// <param name="sourceId">The source id (not 0).</param>
    /// <param name="sequence">The sequence number (at least 1).</param>
    /// <param name="sendTimeMicroseconds">The send time in microseconds since the Unix epoch (not negative).</param>
    /// <returns>The value, as the bus writes it.</returns>
    public static string Format(ulong sourceId, long sequence, long sendTimeMicroseconds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sourceId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequence);
        ArgumentOutOfRangeException.ThrowIfNegative(sendTimeMicroseconds);
        return string.Create(CultureInfo.InvariantCulture, $"{sourceId:X16}.{sequence:X8}.{sendTimeMicroseconds:X13}");
    }

    /// <summary>Parses a header value (form 1; fields after the third are ignored).</summary>
    /// <param name="value">The value.</param>
    /// <param name="sourceId">The source id.</param>
    /// <param name="sequence">The sequence number.</param>
    /// <param name="sendTimeMicroseconds">The send time in microseconds since the Unix epoch.</param>
    /// <returns>Whether the value is well-formed (non-zero source, positive sequence).</returns>
    public static bool TryParse(ReadOnlySpan<char> value, out ulong sourceId, out long sequence, out long sendTimeMicroseconds)
    {
        Span<byte> ascii = stackalloc byte[128];
        var length = Math.Min(value.Length, ascii.Length);
        for (var i = 0; i < length; i++)
        {
            ascii[i] = value[i] < 128 ? (byte)value[i] : (byte)'?';
        }

        return TryParse(ascii[..length], out sourceId, out sequence, out sendTimeMicroseconds);
    }

    /// <summary>Parses a header value from its bytes (see <see cref="TryParse(ReadOnlySpan{char}, out ulong, out long, out long)"/>).</summary>
    internal static bool TryParse(ReadOnlySpan<byte> value, out ulong sourceId, out long sequence, out long sendTimeMicroseconds)
    {
        sequence = 0;
        sendTimeMicroseconds = 0;
        if (!TryField(ref value, out sourceId) || sourceId == 0
            || !TryField(ref value, out var number) || number is 0 or > long.MaxValue
            || !TryField(ref value, out var time) || time > long.MaxValue)
        {
            sourceId = 0;
            return false;
        }

        sequence = (long)number;
        sendTimeMicroseconds = (long)time;
        return true;
    }

    /// <summary>Finds and parses the header in a raw NATS header block (<c>NATS/1.0\r\nKey: value\r\n...</c>), without allocating.</summary>
    /// <param name="block">The block.</param>
    /// <param name="sourceId">The source id (0 if absent or malformed).</param>
    /// <param name="sequence">The sequence number (0 if absent or malformed).</param>
    /// <param name="sendTime">The send time in microseconds since the Unix epoch (0 if absent or malformed).</param>
    /// <returns>Whether the header was present and well-formed.</returns>
    internal static bool TryRead(in ReadOnlySequence<byte> block, out ulong sourceId, out long sequence, out long sendTime)
    {
        if (block.IsSingleSegment)
        {
            return TryRead(block.FirstSpan, out sourceId, out sequence, out sendTime);
        }

        if (block.Length > 1024)
        {
            sourceId = 0;
            sequence = sendTime = 0;
            return false;
        }

        Span<byte> local = stackalloc byte[(int)block.Length];
        block.CopyTo(local);
        return TryRead(local, out sourceId, out sequence, out sendTime);
    }

    /// <summary>Writes <paramref name="value"/> as upper-case hex into all of <paramref name="destination"/>, zero-padded.</summary>
    /// <returns>Whether it fits.</returns>
    internal static bool TryWriteHex(Span<char> destination, ulong value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = "0123456789ABCDEF"[(int)(value & 0xF)];
            value >>= 4;
        }

        return value == 0;
    }

    /// <summary>The number of hex digits <paramref name="value"/> needs.</summary>
    internal static int HexDigits(ulong value) => Math.Max(1, (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 3) / 4);

    private static bool TryRead(ReadOnlySpan<byte> rest, out ulong sourceId, out long sequence, out long sendTime)
    {
        // The exact block a bus writes (fixed widths, until the sequence outgrows 8 digits): read by position. Anything
        // else, and a block of that shape that does not parse, takes the general path, which decides.
        return (rest.Length == BusBlockLength && TryReadBusBlock(rest, out sourceId, out sequence, out sendTime))
            || TryReadAnyBlock(rest, out sourceId, out sequence, out sendTime);
    }

    /// <summary>Reads a block of exactly the form the bus writes, by position (no search, no branch per digit).</summary>
    private static bool TryReadBusBlock(ReadOnlySpan<byte> block, out ulong sourceId, out long sequence, out long sendTime)
    {
        sourceId = 0;
        sequence = sendTime = 0;
        if (!block.StartsWith(BusBlockPrefix) || block[SequenceStart - 1] != (byte)'.' || block[TimeStart - 1] != (byte)'.'
            || !block.EndsWith("\r\n\r\n"u8))
        {
            return false;
        }

        var invalid = 0;
        var source = HexValue(block.Slice(SourceStart, SourceDigits), ref invalid);
        var number = HexValue(block.Slice(SequenceStart, SequenceDigits), ref invalid);
        var time = HexValue(block.Slice(TimeStart, TimeDigits), ref invalid);
        if (invalid > 0xF || source == 0 || number == 0)
        {
            return false;
        }

        // 8 and 13 hex digits cannot exceed long.MaxValue.
        (sourceId, sequence, sendTime) = (source, (long)number, (long)time);
        return true;
    }

    /// <summary>The value of a run of hex digits; ORs 0xFF into <paramref name="invalid"/> if one is not a hex digit.</summary>
    private static ulong HexValue(ReadOnlySpan<byte> digits, ref int invalid)
    {
        // A table instead of comparisons: digits and letters come in random order, so a branch per digit mispredicts.
        var table = HexDigitValues;
        ulong value = 0;
        foreach (var c in digits)
        {
            var v = table[c];
            invalid |= v;
            value = (value << 4) | v;
        }

        return value;
    }

    private static bool TryReadAnyBlock(ReadOnlySpan<byte> rest, out ulong sourceId, out long sequence, out long sendTime)
    {
        // A bus's own block is the version line and this header: parse it without searching line by line (the same
        // result as the loop below, which finds the same first line).
        if (rest.StartsWith(BusBlockStart))
        {
            var value = rest[BusBlockStart.Length..];
            var end = value.IndexOf("\r\n"u8);
            return TryParse((end < 0 ? value : value[..end]).Trim((byte)' '), out sourceId, out sequence, out sendTime);
        }

        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 2)..];
            if (line.Length > Name.Length && line[Name.Length] == (byte)':' && line.StartsWith("Can-Src"u8))
            {
                return TryParse(line[(Name.Length + 1)..].Trim((byte)' '), out sourceId, out sequence, out sendTime);
            }
        }

        sourceId = 0;
        sequence = sendTime = 0;
        return false;
    }

    /// <summary>How a block the bus wrote starts: the NATS version line, then this header's name.</summary>
    private static ReadOnlySpan<byte> BusBlockStart => "NATS/1.0\r\nCan-Src:"u8;

    /// <summary>What precedes the value in the block the bus writes.</summary>
    private static ReadOnlySpan<byte> BusBlockPrefix => "NATS/1.0\r\nCan-Src: "u8;

    private const int SourceStart = 19; // BusBlockPrefix.Length
    private const int SequenceStart = SourceStart + SourceDigits + 1;
    private const int TimeStart = SequenceStart + SequenceDigits + 1;

    /// <summary>The length of the block the bus writes while the sequence fits 8 digits: prefix, value, two line ends.</summary>
    private const int BusBlockLength = TimeStart + TimeDigits + 4;

    /// <summary>Each byte's value as a hex digit, 0xFF for bytes that are none.</summary>
    private static readonly byte[] HexDigitValues = CreateHexDigitValues();

    private static byte[] CreateHexDigitValues()
    {
        var table = new byte[256];
        table.AsSpan().Fill(0xFF);
        for (var i = 0; i < 10; i++)
        {
            table['0' + i] = (byte)i;
        }

        for (var i = 0; i < 6; i++)
        {
            table['A' + i] = table['a' + i] = (byte)(10 + i);
        }

        return table;
    }

    private static bool TryField(ref ReadOnlySpan<byte> value, out ulong number)
    {
        // One pass up to the dot, by hand (no IndexOf, no Utf8Parser): this runs three times for every received frame.
        number = 0;
        var i = 0;
        for (; i < value.Length && value[i] != (byte)'.'; i++)
        {
            var c = value[i];
            var digit = (uint)(c - '0');
            if (digit > 9)
            {
                digit = (uint)((c | 0x20) - 'a'); // 'A'-'F' and 'a'-'f'; anything else lands above 5
                if (digit > 5)
                {
                    number = 0;
                    return false;
                }

                digit += 10;
            }

            if (i == SourceDigits)
            {
                number = 0;
                return false; // more than 16 digits
            }

            number = (number << 4) | digit;
        }

        if (i == 0)
        {
            return false;
        }

        value = i < value.Length ? value[(i + 1)..] : default;
        return true;
    }
}
