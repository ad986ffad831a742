using System.Buffers;
using System.Text;

namespace CanUdpMulticast.IO.Text;

/// <summary>
/// The buffered byte output of the text log writers: lines are formatted straight into a pooled buffer that goes
/// to the stream when full, on flush and on disposal. Counts the bytes produced (python-can's <c>file_size()</c>).
/// </summary>
internal sealed class LogOutput : IDisposable, IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _buffer;
    private int _position;
    private long _flushed;
    private bool _disposed;

    public LogOutput(Stream stream, bool leaveOpen, int bufferSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, 4096));
    }

    /// <summary>The bytes written so far, buffered or not.</summary>
    public long Length => _flushed + _position;

    /// <summary>The bytes formatted but not yet handed to the stream.</summary>
    public int Pending => _position;

    public bool IsDisposed => _disposed;

    /// <summary>A span of at least <paramref name="size"/> bytes to format into; commit with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int size)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_buffer.Length - _position < size)
        {
            WriteBuffer();
            if (_buffer.Length < size)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(size);
            }
        }

        return _buffer.AsSpan(_position);
    }

    public void Advance(int count) => _position += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _position += bytes.Length;
    }

    public void Write(string text)
    {
        var span = GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _position += Encoding.UTF8.GetBytes(text, span);
    }

    /// <summary>Hands buffered bytes to the stream and flushes it.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteBuffer();
        _stream.Flush();
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_position > 0)
        {
            await _stream.WriteAsync(_buffer.AsMemory(0, _position), cancellationToken).ConfigureAwait(false);
            _flushed += _position;
            _position = 0;
        }

        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            WriteBuffer();
            _stream.Flush();
        }
        finally
        {
            Release();
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            Release();
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void WriteBuffer()
    {
        if (_position > 0)
        {
            _stream.Write(_buffer, 0, _position);
            _flushed += _position;
            _position = 0;
        }
    }

    private void Release()
    {
        _disposed = true;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _position = 0;
    }
}
