using System.Buffers;
using System.Buffers.Binary;
using CanUdpMulticast.Wire;
using MessagePack;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// What python's <c>msgpack.unpackb(data, raw=False)</c> (msgpack 1.0, as python-can 4.1.0 calls it) accepts for a
/// value the frame does not use as such: strings must be valid UTF-8, map keys strings or binary
/// (<c>strict_map_key</c>), timestamp extensions (type -1) well formed, and containers nested at most
/// <see cref="MaxDepth"/> deep. Used for fields python-can ignores or only tests for truth, so such a datagram is
/// accepted exactly when python-can accepts it.
/// </summary>
internal static class PythonMsgpackValue
{
    /// <summary>msgpack's unpack stack: at most 1024 containers inside each other, the frame's map included.</summary>
    public const int MaxDepth = 1024;

    private const int NanosecondsLimit = 999_999_999;

    /// <summary>Skips one value, checking that python's msgpack would unpack it.</summary>
    /// <param name="reader">The reader, at the value.</param>
    /// <param name="depth">The number of containers around the value (1 for a value of the frame's map).</param>
    /// <param name="truthy">python's <c>bool(value)</c>.</param>
    /// <returns><see cref="MalformedDatagramReason.None"/>, or why python's msgpack rejects the value.</returns>
    public static MalformedDatagramReason Skip(ref MessagePackReader reader, int depth, out bool truthy)
    {
        truthy = false;
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return MalformedDatagramReason.None;
            case MessagePackType.Boolean:
                truthy = reader.ReadBoolean();
                return MalformedDatagramReason.None;
            case MessagePackType.Integer:
                truthy = reader.NextCode == MessagePackCode.UInt64 ? reader.ReadUInt64() != 0 : reader.ReadInt64() != 0;
                return MalformedDatagramReason.None;
            case MessagePackType.Float:
                // NaN is true in python; 0.0 and -0.0 are false.
                var number = reader.ReadDouble();
                truthy = number != 0;
                return MalformedDatagramReason.None;
            case MessagePackType.String:
                var text = reader.ReadStringSequence();
                if (text is { } utf8 && !IsValidUtf8(utf8))
                {
                    return MalformedDatagramReason.NotMessagePack;
                }

                truthy = text is { Length: > 0 };
                return MalformedDatagramReason.None;
            case MessagePackType.Binary:
                truthy = reader.ReadBytes() is { Length: > 0 };
                return MalformedDatagramReason.None;
            case MessagePackType.Extension:
                var header = reader.ReadExtensionFormatHeader();
                var body = reader.ReadRaw(header.Length);
                truthy = true; // an ExtType or Timestamp object
                return header.TypeCode != -1 || IsValidTimestamp(body) ? MalformedDatagramReason.None : MalformedDatagramReason.NotMessagePack;
            case MessagePackType.Array:
                if (depth + 1 > MaxDepth)
                {
                    return MalformedDatagramReason.TooDeep;
                }

                var count = reader.ReadArrayHeader();
                truthy = count > 0;
                for (var i = 0; i < count; i++)
                {
                    var result = Skip(ref reader, depth + 1, out _);
                    if (result != MalformedDatagramReason.None)
                    {
                        return result;
                    }
                }

                return MalformedDatagramReason.None;
            case MessagePackType.Map:
                if (depth + 1 > MaxDepth)
                {
                    return MalformedDatagramReason.TooDeep;
                }

                var entries = reader.ReadMapHeader();
                truthy = entries > 0;
                for (var i = 0; i < entries; i++)
                {
                    if (reader.NextMessagePackType is not (MessagePackType.String or MessagePackType.Binary))
                    {
                        return reader.NextCode == MessagePackCode.NeverUsed ? MalformedDatagramReason.NotMessagePack : MalformedDatagramReason.NonStringKey;
                    }

                    var result = Skip(ref reader, depth + 1, out _);
                    if (result == MalformedDatagramReason.None)
                    {
                        result = Skip(ref reader, depth + 1, out _);
                    }

                    if (result != MalformedDatagramReason.None)
                    {
                        return result;
                    }
                }

                return MalformedDatagramReason.None;
            default:
                return MalformedDatagramReason.NotMessagePack;
        }
    }

    private static bool IsValidUtf8(in ReadOnlySequence<byte> utf8)
    {
        if (utf8.IsSingleSegment)
        {
            return System.Text.Unicode.Utf8.IsValid(utf8.FirstSpan);
        }

        // A datagram is one segment; a copy keeps this correct for any other caller.
        return System.Text.Unicode.Utf8.IsValid(utf8.ToArray());
    }

    // msgpack's timestamp extension: 32-bit seconds, 30-bit nanoseconds + 34-bit seconds, or 32-bit nanoseconds + 64-bit seconds.
    private static bool IsValidTimestamp(in ReadOnlySequence<byte> body)
    {
        Span<byte> bytes = stackalloc byte[12];
        switch (body.Length)
        {
            case 4:
                return true;
            case 8:
                body.CopyTo(bytes);
                return (BinaryPrimitives.ReadUInt64BigEndian(bytes) >> 34) <= NanosecondsLimit;
            case 12:
                body.CopyTo(bytes);
                return BinaryPrimitives.ReadUInt32BigEndian(bytes) <= NanosecondsLimit;
            default:
                return false;
        }
    }
}
