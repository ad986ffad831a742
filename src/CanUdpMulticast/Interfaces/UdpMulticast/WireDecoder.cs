using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using CanUdpMulticast.Wire;
using static CanUdpMulticast.Interfaces.UdpMulticast.WireFormat;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// Reads a python-can <c>udp_multicast</c> datagram into a frame: python-can's own layout straight from the span,
/// anything else through <see cref="LenientWireDecoder"/>. No allocation per frame; never throws.
/// </summary>
internal static class WireDecoder
{
    /// <summary>Decodes a datagram the way a python-can receiver does, and validates the frame like python-can.</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="message">The frame (with <see cref="CanMessage.IsRx"/> set) when the result is <see cref="MalformedDatagramReason.None"/>.</param>
    /// <returns><see cref="MalformedDatagramReason.None"/>, or why the datagram is not a frame.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static MalformedDatagramReason Decode(ReadOnlyMemory<byte> datagram, out CanMessage message)
    {
        // Not zeroed up front (112 bytes per datagram): every path below writes it.
        Unsafe.SkipInit(out message);
        if (datagram.Length > MaxDatagramSize)
        {
            message = default;
            return MalformedDatagramReason.Oversized;
        }

        if (datagram.IsEmpty)
        {
            message = default;
            return MalformedDatagramReason.Truncated;
        }

        // The canonical path writes the frame only when it recognises the layout; the general path writes it always.
        return TryDecodeCanonical(datagram.Span, ref message, out var canonicalResult)
            ? canonicalResult
            : LenientWireDecoder.Decode(datagram, out message);
    }

    /// <summary>
    /// The fast path for python-can's own layout (every datagram python-can or this library sends): the 11 keys in
    /// order with the encodings python's msgpack chooses, read straight from the span. Any deviation returns
    /// <see langword="false"/> and the lenient MessagePackReader path decides; this path never rejects.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryDecodeCanonical(ReadOnlySpan<byte> d, ref CanMessage message, out MalformedDatagramReason result)
    {
        result = MalformedDatagramReason.None;
        var p = 0;
        if (d.Length < 150 || d[p++] != 0x8B || !Key(d, ref p, "timestamp"u8) || d[p++] != 0xCB)
        {
            return false;
        }

        var timestamp = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(d.Slice(p, 8)));
        p += 8;
        if (!Key(d, ref p, "arbitration_id"u8) || !UInt(d, ref p, out var id)
            || !Key(d, ref p, "is_extended_id"u8) || !Bool(d, ref p, out var extended)
            || !Key(d, ref p, "is_remote_frame"u8) || !Bool(d, ref p, out var remote)
            || !Key(d, ref p, "is_error_frame"u8) || !Bool(d, ref p, out var error)
            || !Key(d, ref p, "channel"u8))
        {
            return false;
        }

        CanChannel channel;
        var code = d[p];
        if (code == 0xC0)
        {
            channel = default;
            p++;
        }
        else if (code <= 0x7F || code is 0xCC or 0xCD or 0xCE)
        {
            if (!UInt(d, ref p, out var number))
            {
                return false;
            }

            channel = (long)number;
        }
        else
        {
            int length;
            if (code is >= 0xA0 and <= 0xBF)
            {
                length = code & 0x1F;
                p++;
            }
            else if (code == 0xD9 && p + 1 < d.Length)
            {
                length = d[p + 1];
                p += 2;
            }
            else
            {
                return false;
            }

            if (p + length > d.Length || !Utf8IsValid(d.Slice(p, length)))
            {
                return false;
            }

            channel = ChannelNameCache.Get(d.Slice(p, length));
            p += length;
        }

        if (!Key(d, ref p, "dlc"u8) || !UInt(d, ref p, out var dlc) || dlc > CanDlc.MaxFdLength
            || !Key(d, ref p, "data"u8) || p + 2 > d.Length || d[p] != 0xC4)
        {
            return false;
        }

        var dataLength = d[p + 1];
        p += 2;
        if (dataLength > CanDlc.MaxFdLength || p + dataLength > d.Length)
        {
            return false;
        }

        var data = d.Slice(p, dataLength);
        p += dataLength;
        if (!Key(d, ref p, "is_fd"u8) || !Bool(d, ref p, out var fd)
            || !Key(d, ref p, "bitrate_switch"u8) || !Bool(d, ref p, out var brs)
            || !Key(d, ref p, "error_state_indicator"u8) || !Bool(d, ref p, out var esi)
            || p != d.Length)
        {
            return false;
        }

        message = new CanMessage((uint)id, remote ? default : data, (int)dlc, timestamp, channel, extended, remote, error, fd, brs, esi);
        result = message.GetFrameValidationError() == CanMessageError.None ? MalformedDatagramReason.None : MalformedDatagramReason.InvalidFrame;
        return true;

        // Inlined with a literal name, the length is a constant and the comparison becomes a few wide loads.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static bool Key(ReadOnlySpan<byte> d, ref int p, ReadOnlySpan<byte> name)
        {
            var end = p + 1 + name.Length;
            if (end > d.Length || d[p] != (byte)(0xA0 | name.Length) || !d.Slice(p + 1, name.Length).SequenceEqual(name))
            {
                return false;
            }

            p = end;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static bool Bool(ReadOnlySpan<byte> d, ref int p, out bool value)
        {
            value = p < d.Length && d[p] == 0xC3;
            return p < d.Length && (d[p++] | 1) == 0xC3;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static bool UInt(ReadOnlySpan<byte> d, ref int p, out ulong value)
        {
            value = 0;
            if (p >= d.Length)
            {
                return false;
            }

            var c = d[p++];
            var size = c switch { <= 0x7F => 0, 0xCC => 1, 0xCD => 2, 0xCE => 4, _ => -1 };
            if (size < 0 || p + size > d.Length)
            {
                return false;
            }

            value = size switch
            {
                0 => c,
                1 => d[p],
                2 => BinaryPrimitives.ReadUInt16BigEndian(d.Slice(p, 2)),
                _ => BinaryPrimitives.ReadUInt32BigEndian(d.Slice(p, 4)),
            };
            p += size;
            return true;
        }
    }

    private static bool Utf8IsValid(ReadOnlySpan<byte> utf8) => System.Text.Unicode.Utf8.IsValid(utf8);

}
