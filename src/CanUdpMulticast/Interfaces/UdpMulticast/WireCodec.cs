using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using MessagePack;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// python-can's <c>udp_multicast</c> datagram: exactly one MessagePack map with python-can's 11 string keys in
/// python-can's order (<c>timestamp, arbitration_id, is_extended_id, is_remote_frame, is_error_frame, channel, dlc,
/// data, is_fd, bitrate_switch, error_state_indicator</c>), written and read with MessagePack's low-level
/// writer/reader: no reflection and no allocation per frame.
/// </summary>
/// <remarks>
/// Decoding is as lenient as a python-can receiver: keys may come in any order or be missing (python-can's defaults
/// apply, including <c>is_extended_id = true</c>), <c>is_rx</c> is accepted (and ignored: a received frame is Rx),
/// <c>data</c> may be bin, str (its UTF-8 bytes), an array of integers 0..255, nil or an integer n (n zero bytes, as
/// python's <c>bytearray(n)</c>), flags may be booleans, integers or nil. The sender's timestamp is kept if it is a
/// number (python-can replaces it with the receive time, and so does the bus), and it is not validated. Anything
/// else is a <see cref="MalformedDatagramReason"/>; it never throws.
/// </remarks>
internal static class WireCodec
{
    /// <summary>The largest datagram python-can reads (its receive buffer), in bytes.</summary>
    public const int MaxDatagramSize = 4096;

    // Keys: [0] timestamp ... [10] error_state_indicator, [11] is_rx (accepted on receive only).
    private const int KeyCount = 12;
    private const int IsRxKey = 11;
    private const int WireKeyCount = 11;

    private static readonly byte[][] Keys =
    [
        "timestamp"u8.ToArray(), "arbitration_id"u8.ToArray(), "is_extended_id"u8.ToArray(), "is_remote_frame"u8.ToArray(),
        "is_error_frame"u8.ToArray(), "channel"u8.ToArray(), "dlc"u8.ToArray(), "data"u8.ToArray(), "is_fd"u8.ToArray(),
        "bitrate_switch"u8.ToArray(), "error_state_indicator"u8.ToArray(), "is_rx"u8.ToArray(),
    ];

    // The encoded keys (fixstr header + UTF-8), written raw so encoding does no string work.
    private static readonly byte[][] EncodedKeys = [.. Keys.Select(k => (byte[])[(byte)(0xA0 | k.Length), .. k])];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [ThreadStatic]
    private static ArrayBufferWriter? t_writer;

    [ThreadStatic]
    private static ChannelNameCache? t_channelNames;

    /// <summary>Encodes a frame as python-can does, into <paramref name="destination"/> at <paramref name="offset"/>.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="destination">The buffer.</param>
    /// <param name="offset">Where to start writing.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">The datagram would not fit, or would exceed <see cref="MaxDatagramSize"/> (a very long channel name).</exception>
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
        var writer = t_writer ??= new ArrayBufferWriter();
        writer.Reset(destination, offset, Math.Min(destination.Length - offset, MaxDatagramSize));
        try
        {
            Encode(message, writer);
        }
        catch (InsufficientBufferException)
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

        static byte Bool(bool value) => value ? (byte)0xC3 : (byte)0xC2;

        static int Key(Span<byte> d, int p, int key)
        {
            var encoded = EncodedKeys[key];
            encoded.CopyTo(d[p..]);
            return p + encoded.Length;
        }
    }

    /// <summary>MessagePackWriter.Write(uint): positive fixint, uint8, uint16 or uint32, whichever is smallest.</summary>
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

    /// <summary>Decodes a datagram the way a python-can receiver does, and validates the frame like python-can.</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="message">The frame (with <see cref="CanMessage.IsRx"/> set) when the result is <see cref="MalformedDatagramReason.None"/>.</param>
    /// <returns><see cref="MalformedDatagramReason.None"/>, or why the datagram is not a frame.</returns>
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
            : DecodeWithReader(datagram, out message);
    }

    /// <summary>The general, lenient path through MessagePackReader (internal so tests can hold both paths to one result).</summary>
    /// <param name="datagram">The UDP payload (at most <see cref="MaxDatagramSize"/> bytes, not empty).</param>
    /// <param name="message">The frame when the result is <see cref="MalformedDatagramReason.None"/>.</param>
    /// <returns><see cref="MalformedDatagramReason.None"/>, or why the datagram is not a frame.</returns>
    internal static MalformedDatagramReason DecodeWithReader(ReadOnlyMemory<byte> datagram, out CanMessage message)
    {
        message = default;
        try
        {
            return DecodeCore(datagram, out message);
        }
        catch (EndOfStreamException)
        {
            return MalformedDatagramReason.Truncated;
        }
        catch (MessagePackSerializationException ex) when (ex.InnerException is EndOfStreamException)
        {
            return MalformedDatagramReason.Truncated;
        }
        catch (ArgumentOutOfRangeException)
        {
            // MessagePack 2.5's TryReadStringSpan slices past the end when a string header claims more bytes than remain.
            return MalformedDatagramReason.Truncated;
        }
        catch (MessagePackSerializationException)
        {
            return MalformedDatagramReason.NotMessagePack;
        }
        catch (DecoderFallbackException)
        {
            return MalformedDatagramReason.NotMessagePack;
        }
        catch (OverflowException)
        {
            return MalformedDatagramReason.WrongValueType;
        }
    }

    /// <summary>
    /// The fast path for python-can's own layout (every datagram python-can or this library sends): the 11 keys in
    /// order with the encodings python's msgpack chooses, read straight from the span. Any deviation returns
    /// <see langword="false"/> and the lenient MessagePackReader path decides; this path never rejects.
    /// </summary>
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

            channel = (t_channelNames ??= new ChannelNameCache()).Get(d.Slice(p, length));
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

        static bool Bool(ReadOnlySpan<byte> d, ref int p, out bool value)
        {
            value = p < d.Length && d[p] == 0xC3;
            return p < d.Length && (d[p++] | 1) == 0xC3;
        }

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

    private static MalformedDatagramReason DecodeCore(ReadOnlyMemory<byte> datagram, out CanMessage message)
    {
        message = default;
        var reader = new MessagePackReader(datagram);
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            return reader.NextCode == MessagePackCode.NeverUsed ? MalformedDatagramReason.NotMessagePack : MalformedDatagramReason.NotAMap;
        }

        var entries = reader.ReadMapHeader();

        // python-can's defaults for missing keys.
        double timestamp = 0;
        ulong id = 0;
        bool extended = true, remote = false, error = false, fd = false, brs = false, esi = false;
        CanChannel channel = default;
        long dlc = -1;
        Span<byte> data = stackalloc byte[CanDlc.MaxFdLength];
        var dataLength = 0;
        var seen = 0;

        for (var i = 0; i < entries; i++)
        {
            if (reader.NextMessagePackType != MessagePackType.String)
            {
                return reader.NextCode == MessagePackCode.NeverUsed ? MalformedDatagramReason.NotMessagePack : MalformedDatagramReason.NonStringKey;
            }

            if (!reader.TryReadStringSpan(out var keySpan))
            {
                return MalformedDatagramReason.Truncated;
            }

            var key = FindKey(keySpan, expected: i);
            if (key < 0)
            {
                return MalformedDatagramReason.UnknownKey;
            }

            if ((seen & (1 << key)) != 0)
            {
                return MalformedDatagramReason.DuplicateKey;
            }

            seen |= 1 << key;
            var type = reader.NextMessagePackType;
            if (type is MessagePackType.Array or MessagePackType.Map && key != 7)
            {
                return MalformedDatagramReason.TooDeep;
            }

            MalformedDatagramReason result;
            switch (key)
            {
                case 0:
                    // python-can replaces the sender's timestamp, so any type is accepted; numbers are kept.
                    timestamp = type switch
                    {
                        MessagePackType.Float => reader.ReadDouble(),
                        MessagePackType.Integer => reader.ReadInt64(),
                        _ => SkipAndZero(ref reader),
                    };
                    continue;
                case 1:
                    if (type != MessagePackType.Integer)
                    {
                        return MalformedDatagramReason.WrongValueType;
                    }

                    // python-can flags a negative id as an invalid frame, not as a wrong type.
                    if (ReadInteger(ref reader, out id))
                    {
                        return MalformedDatagramReason.InvalidFrame;
                    }

                    continue;
                case 2: result = ReadFlag(ref reader, type, out extended); break;
                case 3: result = ReadFlag(ref reader, type, out remote); break;
                case 4: result = ReadFlag(ref reader, type, out error); break;
                case 5: result = ReadChannel(ref reader, type, out channel); break;
                case 6:
                    if (type == MessagePackType.Nil)
                    {
                        reader.ReadNil();
                        dlc = -1;
                        continue;
                    }

                    if (type != MessagePackType.Integer)
                    {
                        return MalformedDatagramReason.WrongValueType;
                    }

                    dlc = reader.ReadInt64();
                    if (dlc < 0 || dlc > CanDlc.MaxFdLength)
                    {
                        return MalformedDatagramReason.InvalidFrame;
                    }

                    continue;
                case 7: result = ReadData(ref reader, type, data, out dataLength); break;
                case 8: result = ReadFlag(ref reader, type, out fd); break;
                case 9: result = ReadFlag(ref reader, type, out brs); break;
                case 10: result = ReadFlag(ref reader, type, out esi); break;
                default: result = ReadFlag(ref reader, type, out _); break; // is_rx: a received frame is Rx.
            }

            if (result != MalformedDatagramReason.None)
            {
                return result;
            }
        }

        if (!reader.End)
        {
            return MalformedDatagramReason.TrailingBytes;
        }

        if (id > uint.MaxValue)
        {
            return MalformedDatagramReason.InvalidFrame;
        }

        // python-can: a remote frame's data is dropped; dlc defaults to the data length.
        if (remote)
        {
            dataLength = 0;
        }

        message = new CanMessage((uint)id, data[..dataLength], extended)
        {
            Timestamp = timestamp,
            IsRemoteFrame = remote,
            IsErrorFrame = error,
            IsFd = fd,
            BitrateSwitch = brs,
            ErrorStateIndicator = esi,
            Channel = channel,
        };
        if (dlc >= 0)
        {
            message = message with { Dlc = (int)dlc };
        }

        return message.GetFrameValidationError() == CanMessageError.None ? MalformedDatagramReason.None : MalformedDatagramReason.InvalidFrame;
    }

    // python-can always sends the keys in the same order, so the i-th key is tried first.
    private static int FindKey(ReadOnlySpan<byte> key, int expected)
    {
        if (expected < KeyCount && key.SequenceEqual(Keys[expected]))
        {
            return expected;
        }

        for (var i = 0; i < KeyCount; i++)
        {
            if (key.SequenceEqual(Keys[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads any MessagePack integer as its magnitude; returns whether it was negative.</summary>
    private static bool ReadInteger(ref MessagePackReader reader, out ulong magnitude)
    {
        if (reader.NextCode == MessagePackCode.UInt64)
        {
            magnitude = reader.ReadUInt64();
            return false;
        }

        var value = reader.ReadInt64();
        magnitude = value < 0 ? (ulong)-(value + 1) + 1 : (ulong)value;
        return value < 0;
    }

    private static double SkipAndZero(ref MessagePackReader reader)
    {
        reader.Skip();
        return 0;
    }

    // python-can stores whatever it gets and tests truthiness; booleans, integers and nil are accepted.
    private static MalformedDatagramReason ReadFlag(ref MessagePackReader reader, MessagePackType type, out bool value)
    {
        switch (type)
        {
            case MessagePackType.Boolean:
                value = reader.ReadBoolean();
                return MalformedDatagramReason.None;
            case MessagePackType.Integer:
                ReadInteger(ref reader, out var magnitude);
                value = magnitude != 0;
                return MalformedDatagramReason.None;
            case MessagePackType.Nil:
                reader.ReadNil();
                value = false;
                return MalformedDatagramReason.None;
            default:
                value = false;
                return MalformedDatagramReason.WrongValueType;
        }
    }

    private static MalformedDatagramReason ReadChannel(ref MessagePackReader reader, MessagePackType type, out CanChannel channel)
    {
        channel = default;
        switch (type)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return MalformedDatagramReason.None;
            case MessagePackType.Integer:
                channel = reader.NextCode is MessagePackCode.UInt64 ? checked((long)reader.ReadUInt64()) : reader.ReadInt64();
                return MalformedDatagramReason.None;
            case MessagePackType.String:
                if (!reader.TryReadStringSpan(out var utf8))
                {
                    return MalformedDatagramReason.Truncated;
                }

                channel = (t_channelNames ??= new ChannelNameCache()).Get(utf8);
                return MalformedDatagramReason.None;
            default:
                return MalformedDatagramReason.WrongValueType;
        }
    }

    private static MalformedDatagramReason ReadData(ref MessagePackReader reader, MessagePackType type, scoped Span<byte> data, out int length)
    {
        length = 0;
        switch (type)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return MalformedDatagramReason.None;
            case MessagePackType.Binary:
            case MessagePackType.String:
                var bytes = type == MessagePackType.Binary ? reader.ReadBytes() : reader.ReadStringSequence();
                if (bytes is not { } sequence)
                {
                    return MalformedDatagramReason.None;
                }

                if (sequence.Length > data.Length)
                {
                    return MalformedDatagramReason.InvalidFrame;
                }

                if (type == MessagePackType.String)
                {
                    // Strings must be valid UTF-8 (python decodes them before use).
                    _ = StrictUtf8.GetCharCount(sequence.FirstSpan);
                }

                sequence.CopyTo(data);
                length = (int)sequence.Length;
                return MalformedDatagramReason.None;
            case MessagePackType.Array:
                var count = reader.ReadArrayHeader();
                if (count > data.Length)
                {
                    return MalformedDatagramReason.InvalidFrame;
                }

                for (var i = 0; i < count; i++)
                {
                    var elementType = reader.NextMessagePackType;
                    if (elementType is MessagePackType.Array or MessagePackType.Map)
                    {
                        return MalformedDatagramReason.TooDeep;
                    }

                    if (elementType != MessagePackType.Integer)
                    {
                        return MalformedDatagramReason.WrongValueType;
                    }

                    var value = reader.ReadInt64();
                    if (value is < 0 or > 255)
                    {
                        return MalformedDatagramReason.WrongValueType;
                    }

                    data[i] = (byte)value;
                }

                length = count;
                return MalformedDatagramReason.None;
            case MessagePackType.Integer:
                // python: bytearray(n) is n zero bytes.
                var zeros = reader.ReadInt64();
                if (zeros < 0 || zeros > data.Length)
                {
                    return MalformedDatagramReason.InvalidFrame;
                }

                data[..(int)zeros].Clear();
                length = (int)zeros;
                return MalformedDatagramReason.None;
            default:
                return MalformedDatagramReason.WrongValueType;
        }
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> over a slice of a caller's array, reset per datagram.</summary>
    private sealed class ArrayBufferWriter : IBufferWriter<byte>
    {
        private byte[] _buffer = [];
        private int _start;

        public int Capacity { get; private set; }

        public int Written { get; private set; }

        public void Reset(byte[] buffer, int offset, int capacity)
        {
            _buffer = buffer;
            _start = offset;
            Capacity = Math.Max(0, capacity);
            Written = 0;
        }

        public void Advance(int count) => Written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(_start + Written, Available(sizeHint));

        public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(_start + Written, Available(sizeHint));

        private int Available(int sizeHint)
        {
            var available = Capacity - Written;
            if (available < Math.Max(sizeHint, 1))
            {
                throw new InsufficientBufferException();
            }

            return available;
        }
    }

    private sealed class InsufficientBufferException : Exception
    {
    }

    /// <summary>Recently seen channel names by their UTF-8 bytes, so steady traffic decodes without allocating strings.</summary>
    private sealed class ChannelNameCache
    {
        private const int Size = 16;
        private readonly byte[][] _utf8 = new byte[Size][];
        private readonly string[] _names = new string[Size];
        private int _next;

        public string Get(ReadOnlySpan<byte> utf8)
        {
            for (var i = 0; i < Size; i++)
            {
                if (_utf8[i] is { } cached && utf8.SequenceEqual(cached))
                {
                    return _names[i];
                }
            }

            var name = StrictUtf8.GetString(utf8);
            _utf8[_next] = utf8.ToArray();
            _names[_next] = name;
            _next = (_next + 1) % Size;
            return name;
        }
    }
}
