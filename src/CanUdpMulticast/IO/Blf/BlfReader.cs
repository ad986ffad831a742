// Over 450 lines on purpose: the synchronous and the asynchronous container loops mirror each other line for line.
using System.Buffers.Binary;
using System.Collections;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.IO.Blf;

/// <summary>
/// Reads CAN and CAN FD frames from a Vector BLF (binary logging format) file, streaming: one log container
/// (128 KiB uncompressed in files from Vector tools and python-can) is in memory at a time and nothing is allocated
/// per frame. Decodes <c>CAN_MESSAGE</c>, <c>CAN_MESSAGE2</c>, <c>CAN_FD_MESSAGE</c>, <c>CAN_FD_MESSAGE_64</c> and
/// <c>CAN_ERROR_EXT</c> objects (python-can 4.1.0's <c>BLFReader</c>) and skips every other object type.
/// </summary>
/// <remarks>
/// <para>Fields as python-can reads them: the channel is the BLF channel minus one (BLF counts from 1), timestamps are
/// the header's start time (local time, millisecond resolution) plus each object's offset (1 ns or 10 µs).</para>
/// <para>Differences from python-can, all on damaged or unusual files: a remote frame has no data bytes (python-can
/// returns zero bytes up to its DLC); a classic frame's DLC above 8 reads as 8; a file that ends inside an object
/// or a container (or, going by the file size in its header, between two containers), a container whose zlib
/// stream is corrupt or does not decompress to its declared size, and an unknown compression method raise
/// <see cref="BlfFormatException"/> (python-can silently drops a cut-off last object and skips containers with an
/// unknown compression method). Objects of other types, top-level objects that are not containers, and objects
/// with an unknown header version are skipped and counted in <see cref="SkippedObjectCount"/>.</para>
/// <para>Memory is bounded by <see cref="BlfReaderOptions.MaxContainerSize"/> (checked before allocating) plus one
/// frame object; a skipped object is discarded as it streams past, whatever size it declares.</para>
/// <para>The reader can be enumerated once, synchronously or asynchronously. It is not thread-safe.</para>
/// </remarks>
public sealed class BlfReader : ICanLogReader
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxContainerSize;
    private readonly BlfObjectParser _parser;
    private readonly byte[] _small = new byte[4096];
    private readonly BlfContainerDecoder _containers;
    private long _position;
    private bool _started;
    private bool _ended;
    private bool _disposed;

    /// <summary>Opens a BLF file (or reads one from a stream, starting at its current position) and reads its header.</summary>
    /// <param name="file">The file's path, or a readable stream.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The stream is not readable, or an option is out of range.</exception>
    /// <exception cref="BlfFormatException">The data is not a BLF file (wrong signature, too short).</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public BlfReader(CanLogFile file, BlfReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var stream = file.Stream ?? OpenFile(file.Path!);
        var leaveOpen = file.LeaveOpen;
        options ??= new BlfReaderOptions();
        _stream = stream;
        _leaveOpen = leaveOpen;
        _maxContainerSize = options.MaxContainerSize;
        try
        {
            if (!stream.CanRead)
            {
                throw new ArgumentException("The stream must be readable.", nameof(file));
            }

            if (options.MaxContainerSize < 1024)
            {
                throw new ArgumentException($"MaxContainerSize must be at least 1024 bytes, not {options.MaxContainerSize}.", nameof(options));
            }

            Header = ReadHeader(options.TimeZone ?? TimeZoneInfo.Local);
        }
        catch
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }

            throw;
        }

        _parser = new BlfObjectParser(Header.StartTimestamp);
        _containers = new BlfContainerDecoder(_maxContainerSize, _parser);
    }

    /// <summary>The file header (statistics, start and stop time).</summary>
    public BlfFileHeader Header { get; }

    /// <summary>The number of objects skipped so far because they are not frames (or have an object header version this reader does not know).</summary>
    public long SkippedObjectCount => _parser.SkippedObjects;

    /// <summary>The number of frames read so far.</summary>
    public long FrameCount => _parser.Frames;

    /// <summary>Enumerates the frames, reading the file as it goes.</summary>
    /// <returns>The frames in file order.</returns>
    /// <exception cref="InvalidOperationException">The reader was already enumerated.</exception>
    /// <exception cref="BlfFormatException">(While enumerating) the file is corrupt; the message says where.</exception>
    public IEnumerator<CanMessage> GetEnumerator()
    {
        Start();
        return new Enumerator(this);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates the frames asynchronously, reading the file with asynchronous I/O.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The frames in file order.</returns>
    /// <exception cref="InvalidOperationException">The reader was already enumerated.</exception>
    public IAsyncEnumerator<CanMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        Start();
        return ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>Closes the file (unless the reader was created with leaveOpen) and returns the buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _parser.Dispose();
        _containers.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Closes the file (unless the reader was created with leaveOpen) and returns the buffers.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _parser.Dispose();
        _containers.Dispose();
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static FileStream OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 4096, FileOptions.SequentialScan);
    }

    private void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started)
        {
            throw new InvalidOperationException("A BlfReader can be enumerated only once; open a new reader to read the file again.");
        }

        _started = true;
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

    private void Skip(long count, long objectOffset, string what)
    {
        if (_stream.CanSeek && count > _small.Length)
        {
            _stream.Seek(count, SeekOrigin.Current);
            _position += count;
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
        if (_stream.CanSeek && count > _small.Length)
        {
            _stream.Seek(count, SeekOrigin.Current);
            _position += count;
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

    // Reads top-level objects until a log container has been decoded into the parser; false at the end of the file.
    private bool ReadNextContainer()
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

    private async ValueTask<bool> ReadNextContainerAsync(CancellationToken cancellationToken)
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
            _parser.CountSkipped();
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

    private bool MoveNext(out CanMessage message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!_ended)
        {
            if (_parser.TryRead(out message))
            {
                return true;
            }

            if (!ReadNextContainer())
            {
                _ended = true;
                Complete();
            }
        }

        message = default;
        return false;
    }

    private async IAsyncEnumerable<CanMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!_ended)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (_parser.TryRead(out var message))
            {
                yield return message;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!await ReadNextContainerAsync(cancellationToken).ConfigureAwait(false))
            {
                _ended = true;
                Complete();
            }
        }
    }

    private void Complete()
    {
        _parser.Complete();

        // A file cut exactly between two containers is only recognisable by the size its header records
        // (missing padding after the last container is tolerated).
        if (Header.FileSize > (ulong)_position + 3)
        {
            throw new BlfFormatException(
                $"Truncated BLF file: it ends at offset {_position}, but its header records a file size of {Header.FileSize} bytes.", _position);
        }
    }

    private sealed class Enumerator(BlfReader reader) : IEnumerator<CanMessage>
    {
        private CanMessage _current;

        public CanMessage Current => _current;

        object IEnumerator.Current => _current;

        public bool MoveNext() => reader.MoveNext(out _current);

        public void Reset() => throw new NotSupportedException("A BlfReader cannot be rewound.");

        public void Dispose()
        {
        }
    }
}
