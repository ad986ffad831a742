using System.Buffers;
using System.Text;
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

                channel = ChannelNameCache.Get(utf8);
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
}
