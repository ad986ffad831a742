using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using MessagePack;
using static CanUdpMulticast.Interfaces.UdpMulticast.WireFormat;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// Writes a frame as python-can's <c>udp_multicast</c> datagram: one MessagePack map with python-can's 11 keys in
/// python-can's order, byte by byte for the common case and through MessagePack's low-level writer otherwise; no
/// reflection and no allocation per frame.
/// </summary>
internal static class WireEncoder
{
    [ThreadStatic]
    private static SliceBufferWriter? t_writer;

    /// <summary>Encodes a frame as python-can does, into <paramref name="destination"/> at <paramref name="offset"/>.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="destination">The buffer.</param>
    /// <param name="offset">Where to start writing.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">The datagram would not fit, or would exceed <see cref="MaxDatagramSize"/> (a very long channel name).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Encode(in CanMessage message, byte[] destination, int offset = 0)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!message.Channel.IsName && (uint)offset <= (uint)destination.Length && destination.Length - offset >= CanonicalMaxLength)
        {
            return EncodeCanonical(message, destination.AsSpan(offset));
        }

        return EncodeWithWriter(message, destination, offset);
    }

    /// <summary>The general path through MessagePackWriter (internal so tests can hold both paths to one result).</summary>
    internal static int EncodeWithWriter(in CanMessage message, byte[] destination, int offset = 0)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = t_writer ??= new SliceBufferWriter();
        writer.Reset(destination, offset, Math.Min(destination.Length - offset, MaxDatagramSize));
        try
        {
            Encode(message, writer);
        }
        catch (SliceBufferWriter.FullException)
        {
            throw new ArgumentException(
                $"The frame does not fit in {writer.Capacity} bytes (python-can reads at most {MaxDatagramSize}); is the channel name very long?", nameof(message));
        }

        return writer.Written;
    }

    // The longest datagram the canonical encoder can write: map header, the 11 keys, a float64, two uint32, a long
    // channel number (int64) and 64 data bytes in bin8.
    private static readonly int CanonicalMaxLength = 1 + EncodedKeys.Take(WireKeyCount).Sum(k => k.Length) + 9 + 5 + 1 + 1 + 1 + 9 + 5 + 2 + 64 + 1 + 1 + 1;

    /// <summary>
    /// Writes the datagram byte by byte in python-can's key order, with the same smallest encodings MessagePackWriter
    /// picks (float64 timestamp, compact unsigned integers, bin8 data): the same bytes as <see cref="EncodeWithWriter"/>,
    /// held equal to it by property tests, for frames whose channel is none or a number (a channel name takes the writer
    /// path). About three times faster than the writer (docs/benchmarks.md).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int EncodeCanonical(in CanMessage message, Span<byte> d)
    {
        var p = 0;
        d[p++] = 0x80 | WireKeyCount;
        p = Key(d, p, 0);
        d[p++] = 0xCB;
        BinaryPrimitives.WriteDoubleBigEndian(d[p..], message.Timestamp);
        p += 8;
        p = Key(d, p, 1);
        p = WriteUInt(d, p, message.ArbitrationId);
        p = Key(d, p, 2);
        d[p++] = Bool(message.IsExtendedId);
        p = Key(d, p, 3);
        d[p++] = Bool(message.IsRemoteFrame);
        p = Key(d, p, 4);
        d[p++] = Bool(message.IsErrorFrame);
        p = Key(d, p, 5);
        var channel = message.Channel;
        if (channel.IsNumber)
        {
            p = WriteInt(d, p, channel.Number);
        }
        else
        {
            d[p++] = 0xC0;
        }

        p = Key(d, p, 6);
        p = WriteUInt(d, p, (uint)message.Dlc);
        p = Key(d, p, 7);
        var data = message.Data;
        d[p++] = 0xC4;
        d[p++] = (byte)data.Length;
        data.CopyTo(d[p..]);
        p += data.Length;
        p = Key(d, p, 8);
        d[p++] = Bool(message.IsFd);
        p = Key(d, p, 9);
        d[p++] = Bool(message.BitrateSwitch);
        p = Key(d, p, 10);
        d[p++] = Bool(message.ErrorStateIndicator);
        return p;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static byte Bool(bool value) => value ? (byte)0xC3 : (byte)0xC2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static int Key(Span<byte> d, int p, int key)
        {
            var encoded = EncodedKeys[key];
            encoded.CopyTo(d[p..]);
            return p + encoded.Length;
        }
    }

    /// <summary>MessagePackWriter.Write(uint): positive fixint, uint8, uint16 or uint32, whichever is smallest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteUInt(Span<byte> d, int p, uint value)
    {
        if (value <= 0x7F)
        {
            d[p] = (byte)value;
            return p + 1;
        }

        if (value <= byte.MaxValue)
        {
            d[p] = 0xCC;
            d[p + 1] = (byte)value;
            return p + 2;
        }

        if (value <= ushort.MaxValue)
        {
            d[p] = 0xCD;
            BinaryPrimitives.WriteUInt16BigEndian(d[(p + 1)..], (ushort)value);
            return p + 3;
        }

        d[p] = 0xCE;
        BinaryPrimitives.WriteUInt32BigEndian(d[(p + 1)..], value);
        return p + 5;
    }

    /// <summary>MessagePackWriter.Write(long): the smallest of fixint, (u)int8..64 (non-negative values use the unsigned forms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteInt(Span<byte> d, int p, long value)
    {
        if (value >= 0)
        {
            if (value <= uint.MaxValue)
            {
                return WriteUInt(d, p, (uint)value);
            }

            d[p] = 0xCF;
            BinaryPrimitives.WriteUInt64BigEndian(d[(p + 1)..], (ulong)value);
            return p + 9;
        }

        if (value >= -32)
        {
            d[p] = unchecked((byte)(sbyte)value);
            return p + 1;
        }

        if (value >= sbyte.MinValue)
        {
            d[p] = 0xD0;
            d[p + 1] = unchecked((byte)(sbyte)value);
            return p + 2;
        }

        if (value >= short.MinValue)
        {
            d[p] = 0xD1;
            BinaryPrimitives.WriteInt16BigEndian(d[(p + 1)..], (short)value);
            return p + 3;
        }

        if (value >= int.MinValue)
        {
            d[p] = 0xD2;
            BinaryPrimitives.WriteInt32BigEndian(d[(p + 1)..], (int)value);
            return p + 5;
        }

        d[p] = 0xD3;
        BinaryPrimitives.WriteInt64BigEndian(d[(p + 1)..], value);
        return p + 9;
    }

    /// <summary>Encodes a frame as python-can does.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="output">Where to write.</param>
    public static void Encode(in CanMessage message, IBufferWriter<byte> output)
    {
        scoped var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(WireKeyCount);
        writer.WriteRaw(EncodedKeys[0]);
        writer.Write(message.Timestamp);
        writer.WriteRaw(EncodedKeys[1]);
        writer.Write(message.ArbitrationId);
        writer.WriteRaw(EncodedKeys[2]);
        writer.Write(message.IsExtendedId);
        writer.WriteRaw(EncodedKeys[3]);
        writer.Write(message.IsRemoteFrame);
        writer.WriteRaw(EncodedKeys[4]);
        writer.Write(message.IsErrorFrame);
        writer.WriteRaw(EncodedKeys[5]);
        var channel = message.Channel;
        if (channel.IsNumber)
        {
            writer.Write(channel.Number);
        }
        else if (channel.Name is { } name)
        {
            writer.Write(name);
        }
        else
        {
            writer.WriteNil();
        }

        writer.WriteRaw(EncodedKeys[6]);
        writer.Write((uint)message.Dlc);
        writer.WriteRaw(EncodedKeys[7]);
        writer.Write(message.Data);
        writer.WriteRaw(EncodedKeys[8]);
        writer.Write(message.IsFd);
        writer.WriteRaw(EncodedKeys[9]);
        writer.Write(message.BitrateSwitch);
        writer.WriteRaw(EncodedKeys[10]);
        writer.Write(message.ErrorStateIndicator);
        writer.Flush();
    }
}
