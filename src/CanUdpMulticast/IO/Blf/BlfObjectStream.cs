using System.Buffers.Binary;

namespace CanUdpMulticast.IO.Blf;

/// <summary>
/// Walks the top-level objects of a BLF stream for <see cref="BlfReader"/>: reads the file header, skips objects
/// that are not log containers and the padding after each object, and hands each container to the
/// <see cref="BlfContainerDecoder"/>, which fills the <see cref="BlfObjectParser"/>. Says where a damaged file ends
/// or is corrupt. The synchronous and asynchronous loops mirror each other line for line. Does not own the stream.
/// </summary>
internal sealed class BlfObjectStream : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _small = new byte[4096];
    private readonly BlfContainerDecoder _containers;
    private long _position;

    /// <summary>Reads the file header; the stream stays positioned at the first object.</summary>
    /// <exception cref="BlfFormatException">The data is not a BLF file (wrong signature, too short).</exception>
    public BlfObjectStream(Stream stream, TimeZoneInfo timeZone, int maxContainerSize)
    {
        _stream = stream;
        Header = ReadHeader(timeZone);
        Parser = new BlfObjectParser(Header.StartTimestamp);
        _containers = new BlfContainerDecoder(maxContainerSize, Parser);
    }

    /// <summary>The file header.</summary>
    public BlfFileHeader Header { get; }

    /// <summary>The frames of the containers read so far.</summary>
    public BlfObjectParser Parser { get; }

    /// <summary>The stream offset read up to.</summary>
    public long Position => _position;

    /// <summary>Returns the buffers (the stream belongs to the reader).</summary>
    public void Dispose()
    {
        Parser.Dispose();
        _containers.Dispose();
    }

    private BlfFileHeader ReadHeader(TimeZoneInfo timeZone)
    {
        Span<byte> fixedPart = stackalloc byte[BlfLayout.FileHeaderFixedSize];
        var read = _stream.ReadAtLeast(fixedPart, fixedPart.Length, throwOnEndOfStream: false);
        if (read < 4 || BinaryPrimitives.ReadUInt32LittleEndian(fixedPart) != BlfLayout.FileSignature)
        {
            throw new BlfFormatException(
                $"Not a BLF file: it does not start with the signature 'LOGG' (found {Convert.ToHexString(fixedPart[..Math.Min(read, 4)])}).", 0);
        }

        if (read < fixedPart.Length)
        {
            throw new BlfFormatException($"Truncated BLF file: it ends at offset {read}, inside the {BlfLayout.FileHeaderFixedSize}-byte file header.", read);
        }

        var header = BlfLayout.ReadFileHeader(fixedPart, timeZone);
        if (header.HeaderSize is < BlfLayout.FileHeaderFixedSize or > BlfLayout.MaxFileHeaderSize)
        {
            throw new BlfFormatException(
                $"BLF file header declares a size of {header.HeaderSize} bytes; expected {BlfLayout.FileHeaderFixedSize}..{BlfLayout.MaxFileHeaderSize} (usually {BlfLayout.FileHeaderSize}).", 4);
        }

        _position = read;
        Skip(header.HeaderSize - BlfLayout.FileHeaderFixedSize, 0, "the file header");
        return header;
    }

    /// <summary>Skips by seeking when the stream can and the gap is larger than the skip buffer.</summary>
    private bool TrySeek(long count)
    {
        if (!_stream.CanSeek || count <= _small.Length)
        {
            return false;
        }

        _stream.Seek(count, SeekOrigin.Current);
        _position += count;
        return true;
    }

    private void Skip(long count, long objectOffset, string what)
    {
        if (TrySeek(count))
        {
            return;
        }

        while (count > 0)
        {
            var chunk = (int)Math.Min(count, _small.Length);
            var n = _stream.ReadAtLeast(_small.AsSpan(0, chunk), chunk, throwOnEndOfStream: false);
            _position += n;
            count -= n;
            if (n < chunk)
            {
                throw Truncated(objectOffset, what);
            }
        }
    }

    private async ValueTask SkipAsync(long count, long objectOffset, string what, CancellationToken cancellationToken)
    {
        if (TrySeek(count))
        {
            return;
        }

        while (count > 0)
        {
            var chunk = (int)Math.Min(count, _small.Length);
            var n = await _stream.ReadAtLeastAsync(_small.AsMemory(0, chunk), chunk, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            _position += n;
            count -= n;
            if (n < chunk)
            {
                throw Truncated(objectOffset, what);
            }
        }
    }

    private BlfFormatException Truncated(long objectOffset, string what) =>
        new($"Truncated BLF file: it ends at offset {_position}, inside {what} that starts at offset {objectOffset}.", objectOffset);

    /// <summary>Reads top-level objects until a log container has been decoded into <see cref="Parser"/>; false at the end of the file.</summary>
    public bool ReadNextContainer()
    {
        while (true)
        {
            var objectOffset = _position;
            var n = _stream.ReadAtLeast(_small.AsSpan(0, BlfLayout.ObjectHeaderBaseSize), BlfLayout.ObjectHeaderBaseSize, throwOnEndOfStream: false);
            _position += n;
            if (!CheckObjectHeader(n, objectOffset, out var objectSize, out var isContainer))
            {
                return false;
            }

            if (!isContainer)
            {
                Skip(objectSize - BlfLayout.ObjectHeaderBaseSize, objectOffset, "an object");
                SkipPadding(objectSize);
                continue;
            }

            n = _stream.ReadAtLeast(_small.AsSpan(BlfLayout.ObjectHeaderBaseSize, BlfLayout.LogContainerHeaderSize), BlfLayout.LogContainerHeaderSize, throwOnEndOfStream: false);
            _position += n;
            if (n < BlfLayout.LogContainerHeaderSize)
            {
                throw Truncated(objectOffset, "a log container header");
            }

            var payload = _containers.Prepare(_small.AsSpan(BlfLayout.ObjectHeaderBaseSize), objectOffset, objectSize);
            n = _stream.ReadAtLeast(payload.Span, payload.Length, throwOnEndOfStream: false);
            _position += n;
            if (n < payload.Length)
            {
                throw Truncated(objectOffset, $"a log container of {objectSize} bytes");
            }

            SkipPadding(objectSize);
            _containers.Decompress(_small.AsSpan(BlfLayout.ObjectHeaderBaseSize), objectOffset, payload.Length);
            return true;
        }
    }

    /// <summary>Reads top-level objects asynchronously until a log container has been decoded into <see cref="Parser"/>; false at the end of the file.</summary>
    public async ValueTask<bool> ReadNextContainerAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var objectOffset = _position;
            var n = await _stream.ReadAtLeastAsync(_small.AsMemory(0, BlfLayout.ObjectHeaderBaseSize), BlfLayout.ObjectHeaderBaseSize, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            _position += n;
            if (!CheckObjectHeader(n, objectOffset, out var objectSize, out var isContainer))
            {
                return false;
            }

            if (!isContainer)
            {
                await SkipAsync(objectSize - BlfLayout.ObjectHeaderBaseSize, objectOffset, "an object", cancellationToken).ConfigureAwait(false);
                await SkipPaddingAsync(objectSize, cancellationToken).ConfigureAwait(false);
                continue;
            }

            n = await _stream.ReadAtLeastAsync(_small.AsMemory(BlfLayout.ObjectHeaderBaseSize, BlfLayout.LogContainerHeaderSize), BlfLayout.LogContainerHeaderSize, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            _position += n;
            if (n < BlfLayout.LogContainerHeaderSize)
            {
                throw Truncated(objectOffset, "a log container header");
            }

            var payload = _containers.Prepare(_small.AsSpan(BlfLayout.ObjectHeaderBaseSize), objectOffset, objectSize);
            n = await _stream.ReadAtLeastAsync(payload, payload.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            _position += n;
            if (n < payload.Length)
            {
                throw Truncated(objectOffset, $"a log container of {objectSize} bytes");
            }

            await SkipPaddingAsync(objectSize, cancellationToken).ConfigureAwait(false);
            _containers.Decompress(_small.AsSpan(BlfLayout.ObjectHeaderBaseSize), objectOffset, payload.Length);
            return true;
        }
    }

    // Validates a top-level object header in _small; false at a clean end of file.
    private bool CheckObjectHeader(int read, long objectOffset, out long objectSize, out bool isContainer)
    {
        objectSize = 0;
        isContainer = false;
        if (read == 0)
        {
            return false;
        }

        var header = _small.AsSpan(0, read);
        if (read < BlfLayout.ObjectHeaderBaseSize)
        {
            if (header.IndexOfAnyExcept((byte)0) < 0)
            {
                return false; // trailing padding
            }

            throw Truncated(objectOffset, "an object header");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != BlfLayout.ObjectSignature)
        {
            throw new BlfFormatException(
                $"BLF file is corrupt at offset {objectOffset}: expected an object signature 'LOBJ', found {Convert.ToHexString(header[..4])}.", objectOffset);
        }

        objectSize = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var type = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        isContainer = type == BlfLayout.LogContainer;
        var minimum = isContainer ? BlfLayout.ObjectHeaderBaseSize + BlfLayout.LogContainerHeaderSize : BlfLayout.ObjectHeaderBaseSize;
        if (objectSize < minimum)
        {
            throw new BlfFormatException(
                $"BLF file is corrupt at offset {objectOffset}: an object of type {type} declares {objectSize} bytes, less than its {minimum}-byte header.", objectOffset);
        }

        // An object cannot reach past the end of the file: say so now rather than reading (or seeking) up to it.
        if (_stream.CanSeek)
        {
            var left = _stream.Length - _stream.Position + BlfLayout.ObjectHeaderBaseSize;
            if (objectSize > left)
            {
                throw new BlfFormatException(
                    $"BLF file is corrupt or truncated at offset {objectOffset}: an object of type {type} declares {objectSize} bytes, but only {left} are left in the file.", objectOffset);
            }
        }

        if (!isContainer)
        {
            Parser.CountSkipped();
        }

        return true;
    }

    private void SkipPadding(long objectSize)
    {
        // Top-level objects are padded to objectSize % 4 bytes (python-can, vector_blf); the last one may lack it.
        var padding = (int)(objectSize % 4);
        if (padding > 0)
        {
            _position += _stream.ReadAtLeast(_small.AsSpan(0, padding), padding, throwOnEndOfStream: false);
        }
    }

    private async ValueTask SkipPaddingAsync(long objectSize, CancellationToken cancellationToken)
    {
        var padding = (int)(objectSize % 4);
        if (padding > 0)
        {
            _position += await _stream.ReadAtLeastAsync(_small.AsMemory(0, padding), padding, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
    }
}
