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
    private readonly BlfObjectStream _objects;
    private readonly BlfObjectParser _parser;
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

            _objects = new BlfObjectStream(stream, options.TimeZone ?? TimeZoneInfo.Local, options.MaxContainerSize);
        }
        catch
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }

            throw;
        }

        Header = _objects.Header;
        _parser = _objects.Parser;
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
        _objects.Dispose();
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
        _objects.Dispose();
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

    private bool MoveNext(out CanMessage message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!_ended)
        {
            if (_parser.TryRead(out message))
            {
                return true;
            }

            if (!_objects.ReadNextContainer())
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
            if (!await _objects.ReadNextContainerAsync(cancellationToken).ConfigureAwait(false))
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
        var end = _objects.Position;
        if (Header.FileSize > (ulong)end + 3)
        {
            throw new BlfFormatException(
                $"Truncated BLF file: it ends at offset {end}, but its header records a file size of {Header.FileSize} bytes.", end);
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
