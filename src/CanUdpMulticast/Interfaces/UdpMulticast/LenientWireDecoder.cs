using System.Buffers;
using System.Text;
using CanUdpMulticast.Wire;
using MessagePack;
using static CanUdpMulticast.Interfaces.UdpMulticast.WireFormat;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// The general, lenient datagram decoder over MessagePack's low-level reader: keys in any order or missing
/// (python-can's defaults), the value types python-can accepts, and python-can's frame validation.
/// </summary>
internal static class LenientWireDecoder
{
    /// <summary>The general, lenient path through MessagePackReader (internal so tests can hold both paths to one result).</summary>
    /// <param name="datagram">The UDP payload (at most <see cref="MaxDatagramSize"/> bytes, not empty).</param>
    /// <param name="message">The frame when the result is <see cref="MalformedDatagramReason.None"/>.</param>
    /// <returns><see cref="MalformedDatagramReason.None"/>, or why the datagram is not a frame.</returns>
    public static MalformedDatagramReason Decode(ReadOnlyMemory<byte> datagram, out CanMessage message)
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
        var dataResult = MalformedDatagramReason.None;

        // A key may come twice: python's dict keeps the last value, and so does this loop.
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

            var type = reader.NextMessagePackType;
            MalformedDatagramReason result;
            switch (key)
            {
                case 0:
                    // python-can replaces the sender's timestamp, so any value python can unpack is accepted; numbers are kept.
                    timestamp = type switch
                    {
                        MessagePackType.Float => reader.ReadDouble(),
                        MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64 => reader.ReadUInt64(),
                        MessagePackType.Integer => reader.ReadInt64(),
                        _ => 0,
                    };
                    result = type is MessagePackType.Float or MessagePackType.Integer ? MalformedDatagramReason.None : PythonMsgpackValue.Skip(ref reader, 1, out _);
                    break;
                case 1:
                    result = ReadInteger(ref reader, type, out var negative, out id);
                    if (result == MalformedDatagramReason.None && negative)
                    {
                        // python-can flags a negative id as an invalid frame, not as a wrong type.
                        return MalformedDatagramReason.InvalidFrame;
                    }

                    break;
                case 2: result = PythonMsgpackValue.Skip(ref reader, 1, out extended); break;
                case 3: result = PythonMsgpackValue.Skip(ref reader, 1, out remote); break;
                case 4: result = PythonMsgpackValue.Skip(ref reader, 1, out error); break;
                case 5: result = ReadChannel(ref reader, type, out channel); break;
                case 6:
                    if (type == MessagePackType.Nil)
                    {
                        reader.ReadNil();
                        dlc = -1;
                        continue;
                    }

                    result = ReadInteger(ref reader, type, out var negativeDlc, out var dlcMagnitude);
                    if (result == MalformedDatagramReason.None && (negativeDlc || dlcMagnitude > CanDlc.MaxFdLength))
                    {
                        return MalformedDatagramReason.InvalidFrame;
                    }

                    dlc = (long)Math.Min(dlcMagnitude, CanDlc.MaxFdLength);
                    break;
                case 7:
                    // python-can ignores the data of a remote frame (even data it could not use), and is_remote_frame
                    // may come later: check that python can unpack the value now, judge it as data at the end.
                    var dataReader = reader;
                    result = PythonMsgpackValue.Skip(ref reader, 1, out _);
                    if (result == MalformedDatagramReason.None)
                    {
                        dataResult = ReadData(ref dataReader, type, data, out dataLength);
                    }

                    break;
                case 8: result = PythonMsgpackValue.Skip(ref reader, 1, out fd); break;
                case 9: result = PythonMsgpackValue.Skip(ref reader, 1, out brs); break;
                case 10: result = PythonMsgpackValue.Skip(ref reader, 1, out esi); break;
                default: result = PythonMsgpackValue.Skip(ref reader, 1, out _); break; // is_rx: a received frame is Rx.
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
        else if (dataResult != MalformedDatagramReason.None)
        {
            return dataResult;
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

    /// <summary>
    /// Reads an integer field (arbitration_id, dlc) as its magnitude. python's bool is an int (True is 1); a float
    /// is refused although python-can accepts a float that passes its range checks (an id or DLC is an integer).
    /// </summary>
    private static MalformedDatagramReason ReadInteger(ref MessagePackReader reader, MessagePackType type, out bool negative, out ulong magnitude)
    {
        negative = false;
        magnitude = 0;
        switch (type)
        {
            case MessagePackType.Integer:
                negative = ReadInteger(ref reader, out magnitude);
                return MalformedDatagramReason.None;
            case MessagePackType.Boolean:
                magnitude = reader.ReadBoolean() ? 1UL : 0UL;
                return MalformedDatagramReason.None;
            case MessagePackType.Array or MessagePackType.Map:
                return MalformedDatagramReason.TooDeep;
            default:
                return MalformedDatagramReason.WrongValueType;
        }
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

    private static MalformedDatagramReason ReadChannel(ref MessagePackReader reader, MessagePackType type, out CanChannel channel)
    {
        channel = default;
        switch (type)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return MalformedDatagramReason.None;
            case MessagePackType.Integer:
                if (reader.NextCode is not MessagePackCode.UInt64)
                {
                    channel = reader.ReadInt64();
                }
                else if (reader.ReadUInt64() is var number && number <= long.MaxValue)
                {
                    channel = (long)number;
                }
                else
                {
                    // python keeps any integer; CanChannel's number is a long, so a larger one is kept as its decimal name.
                    channel = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return MalformedDatagramReason.None;
            case MessagePackType.String:
                if (!reader.TryReadStringSpan(out var utf8))
                {
                    return MalformedDatagramReason.Truncated;
                }

                channel = ChannelNameCache.Get(utf8);
                return MalformedDatagramReason.None;
            case MessagePackType.Array or MessagePackType.Map:
                // python-can keeps any channel; CanChannel holds a number or a name (README). Too deep still says so.
                var nested = PythonMsgpackValue.Skip(ref reader, 1, out _);
                return nested == MalformedDatagramReason.None ? MalformedDatagramReason.WrongValueType : nested;
            default:
                return MalformedDatagramReason.WrongValueType;
        }
    }

    // python-can: data = bytearray(value). The value was checked by PythonMsgpackValue.Skip already.
    private static MalformedDatagramReason ReadData(ref MessagePackReader reader, MessagePackType type, scoped Span<byte> data, out int length)
    {
        length = 0;
        switch (type)
        {
            case MessagePackType.Nil:
                return MalformedDatagramReason.None;
            case MessagePackType.Binary:
                if (reader.ReadBytes() is not { } sequence)
                {
                    return MalformedDatagramReason.None;
                }

                if (sequence.Length > data.Length)
                {
                    return MalformedDatagramReason.InvalidFrame;
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

                    // Each element must be an int (bool included) in 0..255.
                    if (ReadInteger(ref reader, elementType, out var negative, out var value) != MalformedDatagramReason.None || negative || value > 255)
                    {
                        return MalformedDatagramReason.WrongValueType;
                    }

                    data[i] = (byte)value;
                }

                length = count;
                return MalformedDatagramReason.None;
            case MessagePackType.Integer:
            case MessagePackType.Boolean:
                // bytearray(n) is n zero bytes (bytearray(True) one).
                ReadInteger(ref reader, type, out var negativeCount, out var zeros);
                if (negativeCount || zeros > (ulong)data.Length)
                {
                    return MalformedDatagramReason.InvalidFrame;
                }

                data[..(int)zeros].Clear();
                length = (int)zeros;
                return MalformedDatagramReason.None;
            case MessagePackType.Map:
                // bytearray({}) is empty; a key (str or bytes) is not a byte value.
                return reader.ReadMapHeader() == 0 ? MalformedDatagramReason.None : MalformedDatagramReason.WrongValueType;
            default:
                // str (python: "string argument without an encoding"), float, extension types.
                return MalformedDatagramReason.WrongValueType;
        }
    }
}
