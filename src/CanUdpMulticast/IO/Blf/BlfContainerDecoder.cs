using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace CanUdpMulticast.IO.Blf;

/// <summary>
/// Turns one log container's payload (stored or zlib-compressed) into bytes for the <see cref="BlfObjectParser"/>,
/// with memory bounded by <see cref="BlfReaderOptions.MaxContainerSize"/> (checked before allocating); the
/// compressed bytes live in a pooled buffer returned on disposal.
/// </summary>
internal sealed class BlfContainerDecoder(int maxContainerSize, BlfObjectParser parser) : IDisposable
{
    private readonly int _maxContainerSize = maxContainerSize;
    private readonly BlfObjectParser _parser = parser;
    private byte[] _compressed = [];

    /// <summary>Checks a container's header (in <paramref name="containerHeader"/>) and returns the buffer for its payload.</summary>
    public Memory<byte> Prepare(ReadOnlySpan<byte> containerHeader, long objectOffset, long objectSize)
    {
        var payloadSize = objectSize - BlfLayout.ObjectHeaderBaseSize - BlfLayout.LogContainerHeaderSize;
        if (payloadSize > _maxContainerSize)
        {
            throw new BlfFormatException(
                $"BLF log container at offset {objectOffset} declares {objectSize} bytes, more than the {_maxContainerSize} accepted (BlfReaderOptions.MaxContainerSize).", objectOffset);
        }

        var method = BinaryPrimitives.ReadUInt16LittleEndian(containerHeader);
        if (method is not (BlfLayout.NoCompression or BlfLayout.ZlibDeflate))
        {
            throw new BlfFormatException(
                $"BLF log container at offset {objectOffset} uses compression method {method}; only 0 (none) and 2 (zlib) exist.", objectOffset);
        }

        if (_compressed.Length < payloadSize)
        {
            Dispose();
            _compressed = ArrayPool<byte>.Shared.Rent((int)payloadSize);
        }

        return _compressed.AsMemory(0, (int)payloadSize);
    }

    /// <summary>Decompresses the payload read into the buffer of <see cref="Prepare"/> into the object parser.</summary>
    public void Decompress(ReadOnlySpan<byte> containerHeader, long objectOffset, int payloadSize)
    {
        var method = BinaryPrimitives.ReadUInt16LittleEndian(containerHeader);
        var payload = _compressed.AsSpan(0, payloadSize);
        if (method == BlfLayout.NoCompression)
        {
            payload.CopyTo(_parser.GetAppendSpan(payloadSize, objectOffset));
            _parser.Commit(payloadSize);
            return;
        }

        var declared = BinaryPrimitives.ReadUInt32LittleEndian(containerHeader[8..]);
        if (declared > _maxContainerSize)
        {
            throw new BlfFormatException(
                $"BLF log container at offset {objectOffset} declares {declared} uncompressed bytes, more than the {_maxContainerSize} accepted (BlfReaderOptions.MaxContainerSize).", objectOffset);
        }

        var target = _parser.GetAppendSpan((int)declared + 1, objectOffset);
        int total;
        try
        {
            using var source = new MemoryStream(_compressed, 0, payloadSize, writable: false);
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            total = zlib.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is InvalidDataException or (IOException and not BlfFormatException))
        {
            // The source is memory, so any IOException is the stream's fault: zlib reports most corruptions as
            // InvalidDataException, some (e.g. a preset dictionary) as its internal ZLibException.
            throw new BlfFormatException($"BLF log container at offset {objectOffset} holds a corrupt zlib stream: {e.Message}", objectOffset, null, e);
        }

        if (total != declared)
        {
            throw new BlfFormatException(
                total > declared
                    ? $"BLF log container at offset {objectOffset} decompresses to more than the {declared} bytes it declares."
                    : $"BLF log container at offset {objectOffset} decompresses to {total} bytes, but declares {declared} (truncated or corrupt zlib stream).",
                objectOffset);
        }

        _parser.Commit(total);
    }

    public void Dispose()
    {
        if (_compressed.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_compressed);
            _compressed = [];
        }
    }
}
