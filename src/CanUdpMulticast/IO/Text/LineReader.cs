using System.Buffers;

namespace CanUdpMulticast.IO.Text;

/// <summary>
/// Splits a byte stream into lines without loading it whole: one pooled buffer that grows only up to the longest
/// allowed line. Accepts LF, CRLF and CR line ends (python's universal newlines) and skips a UTF-8 byte order mark.
/// </summary>
internal sealed class LineReader : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxLineLength;
    private readonly string? _source;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scan;
    private int _lineStart;
    private int _lineLength;
    private bool _eof;
    private bool _disposed;

    public LineReader(Stream stream, bool leaveOpen, int maxLineLength, string? source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 16);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _maxLineLength = maxLineLength;
        _source = source;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferSize, maxLineLength + 2));
    }

    /// <summary>The 1-based number of the current line (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The current line without its line end; valid until the next read.</summary>
    public ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, _lineLength);

    /// <summary>Reads the next line.</summary>
    /// <returns><see langword="false"/> at the end of the stream.</returns>
    public bool ReadLine()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (TryTakeLine())
            {
                return true;
            }

            if (_eof)
            {
                return TakeRest();
            }

            PrepareFill();
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }
            else
            {
                _end += read;
            }
        }
    }

    /// <summary>Reads the next line asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="false"/> at the end of the stream.</returns>
    public async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (TryTakeLine())
            {
                return true;
            }

            if (_eof)
            {
                return TakeRest();
            }

            PrepareFill();
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
            }
            else
            {
                _end += read;
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }

        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private bool TryTakeLine()
    {
        var pending = _buffer.AsSpan(_scan, _end - _scan);
        var index = pending.IndexOfAny((byte)'\n', (byte)'\r');
        if (index < 0)
        {
            _scan = _end;
            return false;
        }

        var terminator = _scan + index;
        var terminatorLength = 1;
        if (_buffer[terminator] == (byte)'\r')
        {
            if (terminator + 1 < _end)
            {
                terminatorLength = _buffer[terminator + 1] == (byte)'\n' ? 2 : 1;
            }
            else if (!_eof)
            {
                // A CR at the end of the data read so far: the next byte decides between CR and CRLF.
                _scan = terminator;
                return false;
            }
        }

        SetLine(_start, terminator - _start);
        _start = terminator + terminatorLength;
        _scan = _start;
        return true;
    }

    private bool TakeRest()
    {
        if (_start >= _end)
        {
            _lineLength = 0;
            return false;
        }

        SetLine(_start, _end - _start);
        _start = _end;
        _scan = _end;
        return true;
    }

    private void SetLine(int start, int length)
    {
        LineNumber++;
        if (length > _maxLineLength)
        {
            throw TooLong();
        }

        if (LineNumber == 1 && length >= 3 && _buffer[start] == 0xEF && _buffer[start + 1] == 0xBB && _buffer[start + 2] == 0xBF)
        {
            start += 3;
            length -= 3;
        }

        _lineStart = start;
        _lineLength = length;
    }

    private void PrepareFill()
    {
        if (_start > 0)
        {
            var length = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, length);
            _scan -= _start;
            _end = length;
            _start = 0;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        // The buffer holds one unfinished line: grow, but never beyond the longest allowed line.
        var limit = _maxLineLength + 2;
        if (_buffer.Length >= limit)
        {
            LineNumber++;
            throw TooLong();
        }

        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, limit));
        Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private CanLogFormatException TooLong() => new(
        $"the line is longer than {_maxLineLength} bytes; this is not a text log of this format (or raise CanLogReaderOptions.MaxLineLength)",
        _source,
        LineNumber);
}
