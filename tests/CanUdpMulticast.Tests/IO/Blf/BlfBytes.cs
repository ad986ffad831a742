using System.Buffers.Binary;
using System.IO.Compression;

namespace CanUdpMulticast.Tests.IO.Blf;

/// <summary>Builds BLF files byte by byte for tests of odd, damaged and hostile input.</summary>
internal static class BlfBytes
{
    public const uint CanMessage = 1;
    public const uint LogContainer = 10;
    public const uint CanMessage2 = 86;
    public const uint GlobalMarker = 96;

    /// <summary>A 144-byte file header with zero start time (object timestamps are then absolute).</summary>
    public static byte[] FileHeader(uint headerSize = 144, ulong fileSize = 0)
    {
        var header = new byte[144];
        "LOGG"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), headerSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(16), fileSize);
        header[8] = 5;
        return header;
    }

    /// <summary>An object: base header, a version 1 or 2 header (1 ns timestamps unless <paramref name="timeFlags"/> says 1 = 10 µs), and a body.</summary>
    public static byte[] Object(uint type, ReadOnlySpan<byte> body, ulong timestamp = 0, ushort headerVersion = 1, uint timeFlags = 2, uint? declaredSize = null)
    {
        var headerSize = headerVersion == 2 ? 40 : 32;
        var obj = new byte[headerSize + body.Length];
        "LOBJ"u8.CopyTo(obj);
        BinaryPrimitives.WriteUInt16LittleEndian(obj.AsSpan(4), (ushort)headerSize);
        BinaryPrimitives.WriteUInt16LittleEndian(obj.AsSpan(6), headerVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(obj.AsSpan(8), declaredSize ?? (uint)obj.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(obj.AsSpan(12), type);
        BinaryPrimitives.WriteUInt32LittleEndian(obj.AsSpan(16), timeFlags);
        BinaryPrimitives.WriteUInt64LittleEndian(obj.AsSpan(24), timestamp);
        body.CopyTo(obj.AsSpan(headerSize));
        return obj;
    }

    /// <summary>A CAN_MESSAGE (or CAN_MESSAGE2 with its 8 extra bytes) body.</summary>
    public static byte[] CanMessageBody(ushort channel, uint id, ReadOnlySpan<byte> data, byte flags = 0, bool message2 = false)
    {
        var body = new byte[message2 ? 24 : 16];
        BinaryPrimitives.WriteUInt16LittleEndian(body, channel);
        body[2] = flags;
        body[3] = (byte)data.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), id);
        data.CopyTo(body.AsSpan(8));
        return body;
    }

    /// <summary>A log container object holding <paramref name="contents"/>, zlib-compressed unless <paramref name="compress"/> is false, padded to objectSize % 4.</summary>
    public static byte[] Container(ReadOnlySpan<byte> contents, bool compress = true, uint? declaredUncompressed = null, uint? declaredSize = null, ushort? method = null)
    {
        byte[] payload;
        if (compress)
        {
            using var buffer = new MemoryStream();
            using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(contents);
            }

            payload = buffer.ToArray();
        }
        else
        {
            payload = contents.ToArray();
        }

        var size = 32 + payload.Length;
        var obj = new byte[size + (size % 4)];
        "LOBJ"u8.CopyTo(obj);
        BinaryPrimitives.WriteUInt16LittleEndian(obj.AsSpan(4), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(obj.AsSpan(6), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(obj.AsSpan(8), declaredSize ?? (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(obj.AsSpan(12), LogContainer);
        BinaryPrimitives.WriteUInt16LittleEndian(obj.AsSpan(16), method ?? (ushort)(compress ? 2 : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(obj.AsSpan(24), declaredUncompressed ?? (uint)contents.Length);
        payload.CopyTo(obj.AsSpan(32));
        return obj;
    }

    /// <summary>Records the file's length in its header, as writers do on close.</summary>
    public static byte[] WithFileSize(byte[] file)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)file.Length);
        return file;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A file of classic frames with ids 1..count, 1 ms apart, on BLF channel 1, in one container.</summary>
    public static byte[] SimpleFile(int count, bool compress = true) =>
        Concat(FileHeader(), Container(Concat(Enumerable.Range(1, count).Select(i => Frame((uint)i)).ToArray()), compress));

    public static byte[] Frame(uint id, ulong timestampNs = 0) =>
        Object(CanMessage, CanMessageBody(1, id, [(byte)id]), timestampNs == 0 ? id * 1_000_000UL : timestampNs);
}
