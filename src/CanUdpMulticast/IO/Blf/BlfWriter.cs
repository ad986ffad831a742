using System.Buffers.Binary;
using System.IO.Compression;

namespace CanUdpMulticast.IO.Blf;

/// <summary>
/// Writes CAN and CAN FD frames to a Vector BLF (binary logging format) file that python-can and Vector tools read:
/// the layout of python-can 4.1.0's <c>BLFWriter</c> (144-byte header with statistics and local start/stop times,
/// zlib-compressed 128 KiB log containers of <c>CAN_MESSAGE</c>, <c>CAN_FD_MESSAGE</c> (or
/// <c>CAN_FD_MESSAGE_64</c>) and <c>CAN_ERROR_EXT</c> objects with 1 ns timestamps).
/// </summary>
/// <remarks>
/// <para>Frames are buffered until a container is full; <see cref="Flush"/> writes a (smaller) container at once.
/// Disposal or <see cref="Stop"/> writes the last container and then the final header (start and stop times,
/// object count, sizes). On a stream that cannot seek the header is written before the first container, with the
/// right start time but without statistics.</para>
/// <para>Timestamps: object times are offsets from the start time in the header, which the format keeps in whole
/// milliseconds of local time. This writer starts the file at the first frame's timestamp rounded down to the
/// millisecond, so readers get every timestamp back to about a microsecond (python-can stores the start rounded
/// to the millisecond and so shifts all times by up to 0.5 ms). Frames older than the first frame's millisecond
/// are written with offset 0, as python-can does. Timestamps before 1990 are written relative to 0 (the header
/// times stay zero, as python-can).</para>
/// <para>What BLF cannot carry: a channel that is a name without trailing digits (it becomes
/// <see cref="BlfWriterOptions.DefaultChannel"/>); the direction, FD flags and remote flag of error frames
/// (<c>CAN_ERROR_EXT</c> has no field python-can reads for them); data beyond 8 bytes in error frames.</para>
/// <para>Thread-safe: <see cref="Write"/> may be called from several threads.</para>
/// </remarks>
public sealed class BlfWriter : ICanLogWriter
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _compressionLevel;
    private readonly TimeZoneInfo _timeZone;
    private readonly BlfObjectEncoder _encoder;
    private readonly Lock _lock = new();
    private readonly byte[] _container;
    private readonly MemoryStream _compressed = new();
    private readonly byte[] _headerBuffer = new byte[BlfLayout.FileHeaderSize];
    private readonly long _headerPosition;
    private int _containerLength;
    private bool _headerWritten;
    private uint _objectCount;
    private ulong _uncompressedSize = BlfLayout.FileHeaderSize;
    private long _bytesWritten;
    private bool _disposed;

    /// <summary>
    /// Creates (or, with <see cref="BlfWriterOptions.Append"/>, opens) a BLF file, or writes one to a stream, starting
    /// at its current position.
    /// </summary>
    /// <param name="file">The file's path, or a writable stream: seekable to get the final header (readable too for appending).</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The stream is not writable (or not readable and seekable for appending), or an option is out of range.</exception>
    /// <exception cref="BlfFormatException">Appending to data that is not a BLF file.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public BlfWriter(CanLogFile file, BlfWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        options ??= new BlfWriterOptions();
        var stream = file.Stream ?? OpenFile(file.Path!, options.Append);
        var leaveOpen = file.LeaveOpen;
        try
        {
            if (!stream.CanWrite)
            {
                throw new ArgumentException("The stream must be writable.", nameof(file));
            }

            if (options.CompressionLevel is < -1 or > 9)
            {
                throw new ArgumentException($"CompressionLevel must be -1 (default) or 0..9, not {options.CompressionLevel}.", nameof(options));
            }

            if (options.MaxContainerSize is < 1024 or > BlfReaderOptions.DefaultMaxContainerSize)
            {
                throw new ArgumentException(
                    $"MaxContainerSize must be 1024..{BlfReaderOptions.DefaultMaxContainerSize} bytes, not {options.MaxContainerSize}.", nameof(options));
            }

            if (options.DefaultChannel is < 0 or > ushort.MaxValue)
            {
                throw new ArgumentException($"DefaultChannel must be 0..65535, not {options.DefaultChannel}.", nameof(options));
            }

            _stream = stream;
            _leaveOpen = leaveOpen;
            _compressionLevel = options.CompressionLevel == -1 ? 6 : options.CompressionLevel;
            _timeZone = options.TimeZone ?? TimeZoneInfo.Local;
            _encoder = new BlfObjectEncoder(options.DefaultChannel, options.UseCanFdMessage64, _timeZone);
            _container = new byte[options.MaxContainerSize];
            _headerPosition = stream.CanSeek ? stream.Position : 0;
            if (options.Append && stream.CanSeek && stream.Length > stream.Position)
            {
                if (!stream.CanRead)
                {
                    throw new ArgumentException("Appending needs a readable stream.", nameof(file));
                }

                ReadExistingHeader();
            }
            else if (stream.CanSeek)
            {
                // Like python-can: a provisional header now, the final one on close.
                WriteHeader();
            }
        }
        catch
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }

            throw;
        }
    }

    /// <summary>The number of objects (frames) written so far, including those still buffered.</summary>
    public long ObjectCount
    {
        get
        {
            lock (_lock)
            {
                return _objectCount;
            }
        }
    }

    /// <summary>
    /// An estimate of the file size in bytes: what was written plus the uncompressed bytes still buffered
    /// (python-can's <c>file_size()</c>), for size-based rotation.
    /// </summary>
    public long EstimatedFileSize
    {
        get
        {
            lock (_lock)
            {
                return (_headerWritten ? _bytesWritten : BlfLayout.FileHeaderSize) + _containerLength;
            }
        }
    }

    /// <summary>Writes one frame (buffered; see <see cref="Flush"/>).</summary>
    /// <param name="message">The frame.</param>
    /// <exception cref="ArgumentException">The frame cannot be stored in BLF: a classic or error frame with more than 8 data bytes, or a channel number BLF cannot hold.</exception>
    /// <exception cref="ObjectDisposedException">The writer is closed.</exception>
    /// <exception cref="IOException">Writing a full container failed.</exception>
    public void Write(in CanMessage message)
    {
        Span<byte> obj = stackalloc byte[BlfObjectEncoder.MaxObjectSize];
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var size = _encoder.Encode(message, obj);
            Append(obj[..size]);
            _objectCount++;
        }
    }

    /// <inheritdoc cref="Write"/>
    public void OnMessageReceived(in CanMessage message) => Write(message);

    /// <summary>
    /// Writes the buffered frames as a log container, updates the header (seekable streams) and flushes the
    /// stream, so that the file read now holds every frame written so far.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The writer is closed.</exception>
    public void Flush()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            WriteContainer();
            if (_stream.CanSeek)
            {
                WriteHeader();
            }

            _stream.Flush();
        }
    }

    /// <summary>Flushes and closes the file (python-can's <c>stop()</c>).</summary>
    public void Stop() => Dispose();

    /// <summary>Writes the last container and the final header, and closes the file (unless created with leaveOpen).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                WriteContainer();
                if (_stream.CanSeek || !_headerWritten)
                {
                    WriteHeader();
                }

                _stream.Flush();
            }
            finally
            {
                _compressed.Dispose();
                if (!_leaveOpen)
                {
                    _stream.Dispose();
                }
            }
        }
    }

    /// <summary>Writes the last container and the final header with asynchronous I/O, and closes the file (unless created with leaveOpen).</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            // No Write can start after this, so the rest may run outside the lock.
            _disposed = true;
        }

        try
        {
            if (_containerLength > 0)
            {
                var length = CompressContainer();
                await _stream.WriteAsync(_compressed.GetBuffer().AsMemory(0, length)).ConfigureAwait(false);
            }

            if (_stream.CanSeek || !_headerWritten)
            {
                var end = PrepareHeader();
                await _stream.WriteAsync(_headerBuffer).ConfigureAwait(false);
                if (end >= 0)
                {
                    _stream.Seek(end, SeekOrigin.Begin);
                }
            }

            await _stream.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            await _compressed.DisposeAsync().ConfigureAwait(false);
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static FileStream OpenFile(string path, bool append)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileStream(path, append ? FileMode.OpenOrCreate : FileMode.Create, append ? FileAccess.ReadWrite : FileAccess.Write, FileShare.Read, bufferSize: 1);
    }

    private void ReadExistingHeader()
    {
        Span<byte> fixedPart = stackalloc byte[BlfLayout.FileHeaderFixedSize];
        var read = _stream.ReadAtLeast(fixedPart, fixedPart.Length, throwOnEndOfStream: false);
        if (read < fixedPart.Length || BinaryPrimitives.ReadUInt32LittleEndian(fixedPart) != BlfLayout.FileSignature)
        {
            throw new BlfFormatException("Cannot append: the existing file is not a BLF file (no 'LOGG' header).", _headerPosition);
        }

        var header = BlfLayout.ReadFileHeader(fixedPart, _timeZone);
        _objectCount = header.ObjectCount;
        _uncompressedSize = header.UncompressedSize;
        _encoder.Resume(fixedPart.Slice(40, 16), header.StartTimestamp, header.StopTimestamp);
        _headerWritten = true;
        _bytesWritten = _stream.Seek(0, SeekOrigin.End) - _headerPosition;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        // Containers are filled to exactly MaxContainerSize; an object may continue in the next one (as python-can and Vector tools do).
        while (!bytes.IsEmpty)
        {
            var n = Math.Min(bytes.Length, _container.Length - _containerLength);
            bytes[..n].CopyTo(_container.AsSpan(_containerLength));
            _containerLength += n;
            bytes = bytes[n..];
            if (_containerLength == _container.Length)
            {
                WriteContainer();
            }
        }
    }

    private void WriteContainer()
    {
        if (_containerLength == 0)
        {
            return;
        }

        var length = CompressContainer();
        _stream.Write(_compressed.GetBuffer(), 0, length);
    }

    // Builds the whole container object (header, data, padding) in _compressed and updates the statistics.
    private int CompressContainer()
    {
        if (!_headerWritten)
        {
            // A stream that cannot seek gets its only header now, once the start time is known.
            PrepareHeader();
            _stream.Write(_headerBuffer);
        }

        _compressed.SetLength(0);
        _compressed.Write(stackalloc byte[BlfLayout.ObjectHeaderBaseSize + BlfLayout.LogContainerHeaderSize]);
        var uncompressed = _container.AsSpan(0, _containerLength);
        ushort method;
        if (_compressionLevel == 0)
        {
            method = BlfLayout.NoCompression;
            _compressed.Write(uncompressed);
        }
        else
        {
            method = BlfLayout.ZlibDeflate;
            using var zlib = new ZLibStream(_compressed, new ZLibCompressionOptions { CompressionLevel = _compressionLevel }, leaveOpen: true);
            zlib.Write(uncompressed);
        }

        var objectSize = (int)_compressed.Length;
        var padding = objectSize % 4;
        for (var i = 0; i < padding; i++)
        {
            _compressed.WriteByte(0);
        }

        var header = _compressed.GetBuffer().AsSpan(0, BlfLayout.ObjectHeaderBaseSize + BlfLayout.LogContainerHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, BlfLayout.ObjectSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], BlfLayout.ObjectHeaderBaseSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)objectSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], BlfLayout.LogContainer);
        BinaryPrimitives.WriteUInt16LittleEndian(header[16..], method);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)_containerLength);

        _uncompressedSize += (ulong)(BlfLayout.ObjectHeaderBaseSize + BlfLayout.LogContainerHeaderSize + _containerLength);
        _containerLength = 0;
        var total = (int)_compressed.Length;
        _bytesWritten += total;
        return total;
    }

    private void WriteHeader()
    {
        var end = PrepareHeader();
        _stream.Write(_headerBuffer);
        if (end >= 0)
        {
            _stream.Seek(end, SeekOrigin.Begin);
        }
    }

    // Fills _headerBuffer and, on a seekable stream, positions the stream at the header; returns the position to
    // go back to afterwards (-1 when the header is written in sequence).
    private long PrepareHeader()
    {
        Span<byte> stop = stackalloc byte[16];
        BlfLayout.TimestampToSystemTime(_encoder.StopTimestamp ?? 0, _timeZone, stop);
        long end = -1;
        if (_stream.CanSeek)
        {
            end = Math.Max(_stream.Position, _headerPosition + BlfLayout.FileHeaderSize);
            _stream.Seek(_headerPosition, SeekOrigin.Begin);
        }

        if (!_headerWritten)
        {
            _bytesWritten += BlfLayout.FileHeaderSize;
            _headerWritten = true;
        }

        var fileSize = _stream.CanSeek ? (ulong)(end - _headerPosition) : 0;
        BlfLayout.WriteFileHeader(_headerBuffer, fileSize, _uncompressedSize, _objectCount, _encoder.StartSystemTime, stop);
        return end;
    }
}
