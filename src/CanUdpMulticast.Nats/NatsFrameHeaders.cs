using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace CanUdpMulticast.Nats;

/// <summary>
/// The NATS headers a <see cref="NatsBus"/> adds to each frame (what a UDP datagram cannot carry): the sending bus's
/// random source id (own-echo suppression, bridge loop prevention), its per-source sequence number (gaps and duplicates
/// become visible) and its send time. Parsed straight from the raw header block, without allocating.
/// </summary>
public static class NatsFrameHeaders
{
    /// <summary>The source id header: 16 hex digits, random per bus instance.</summary>
    public const string Source = "Can-Source";

    /// <summary>The per-source sequence number header: decimal, 1 for the first frame a bus sends.</summary>
    public const string Sequence = "Can-Seq";

    /// <summary>The send time header: microseconds since the Unix epoch, a decimal integer.</summary>
    public const string SendTime = "Can-Time";

    /// <summary>Formats a source id as it appears in <see cref="Source"/>.</summary>
    /// <param name="sourceId">The id.</param>
    /// <returns>16 upper-case hex digits.</returns>
    public static string FormatSource(ulong sourceId) => sourceId.ToString("X16", CultureInfo.InvariantCulture);

    /// <summary>Reads the frame headers from a raw NATS header block (<c>NATS/1.0\r\nKey: value\r\n...</c>).</summary>
    /// <param name="block">The block.</param>
    /// <param name="sourceId">The source id (0 if absent).</param>
    /// <param name="sequence">The sequence number (0 if absent).</param>
    /// <param name="sendTime">The send time in microseconds since the Unix epoch (0 if absent).</param>
    /// <returns>Whether a source id and sequence number were present and well-formed.</returns>
    internal static bool TryRead(in ReadOnlySequence<byte> block, out ulong sourceId, out long sequence, out long sendTime)
    {
        sourceId = 0;
        sequence = 0;
        sendTime = 0;
        if (block.Length > 1024)
        {
            return false;
        }

        Span<byte> local = stackalloc byte[(int)block.Length];
        block.CopyTo(local);
        ReadOnlySpan<byte> rest = local;
        bool haveSource = false, haveSequence = false;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue; // the NATS/1.0 status line, or the empty line at the end
            }

            var key = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (key.SequenceEqual("Can-Source"u8))
            {
                haveSource = Utf8Parser.TryParse(value, out sourceId, out var used, 'X') && used == value.Length;
            }
            else if (key.SequenceEqual("Can-Seq"u8))
            {
                haveSequence = Utf8Parser.TryParse(value, out sequence, out var used) && used == value.Length && sequence > 0;
            }
            else if (key.SequenceEqual("Can-Time"u8))
            {
                _ = Utf8Parser.TryParse(value, out sendTime, out _);
            }
        }

        return haveSource && haveSequence;
    }
}
