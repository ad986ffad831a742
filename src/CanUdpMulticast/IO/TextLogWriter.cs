using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO;

/// <summary>
/// The base of the text log writers (candump <c>.log</c>, ASC, CSV, TRC): a buffered output (frames reach the file
/// when the buffer fills, on <see cref="Flush"/> and on disposal), python-can's rule that a timestamp earlier than the
/// previous one is written as the previous one, and, for formats whose header carries the measurement's start (ASC,
/// TRC), that header written with the first frame (or at close for a file without frames). Not thread-safe: one
/// writer per thread, as a notifier calls its listeners one at a time.
/// </summary>
public abstract class TextLogWriter : ICanLogWriter, IPendingBytes
{
    private readonly LogOutput _output;
    private readonly bool _datedHeader;
    private TimestampClamp _clamp;
    private bool _headerWritten;

    // Every writer takes (stream, options, leaveOpen); a path creates the file (a .gz name is compressed).
    private protected TextLogWriter(Stream stream, CanLogWriterOptions? options, bool leaveOpen, string? singleHeaderFormat)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckAppend(options, singleHeaderFormat);
        Options = options ?? CanLogWriterOptions.Default;
        _output = new LogOutput(stream, leaveOpen, Options.BufferSize);
        _datedHeader = singleHeaderFormat is not null;
    }

    /// <summary>The number of bytes written so far, buffered or not.</summary>
    public long Length => _output.Length;

    long IPendingBytes.PendingBytes => _output.Pending;

    private protected CanLogWriterOptions Options { get; }

    private protected LogOutput Output => _output;

    /// <summary>The start of the measurement in seconds since the Unix epoch (formats with a dated header).</summary>
    private protected double Start { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The frame breaks python-can's validity rules, or the format cannot hold its channel.</exception>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public abstract void Write(in CanMessage message);

    /// <inheritdoc/>
    public void OnMessageReceived(in CanMessage message) => Write(message);

    /// <inheritdoc/>
    public void Flush() => _output.Flush();

    /// <summary>Ends the file as the format requires, flushes and closes it (python-can's <c>stop()</c>).</summary>
    public void Stop() => Dispose();

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_output.IsDisposed)
        {
            return;
        }

        try
        {
            Close();
        }
        finally
        {
            _output.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_output.IsDisposed)
        {
            return;
        }

        try
        {
            Close();
        }
        finally
        {
            await _output.DisposeAsync().ConfigureAwait(false);
            GC.SuppressFinalize(this);
        }
    }

    // Opens the file of a path constructor; formats with one header refuse to append.
    private protected static Stream OpenFile(string path, CanLogWriterOptions? options, string? singleHeaderFormat)
    {
        CheckAppend(options, singleHeaderFormat);
        options ??= CanLogWriterOptions.Default;
        return LogFiles.OpenWrite(path, options.Append, options.CompressionLevel);
    }

    // ASC and TRC number channels from 1: the default channel must be a number (or a name ending in digits).
    private protected static long DefaultChannelNumber(CanLogWriterOptions? options, string format) =>
        options?.DefaultChannel is { } channel
            ? ChannelNumbers.ToNumber(channel) ?? throw new ArgumentException($"The {format} default channel '{channel}' must be a number or end in digits.", nameof(options))
            : 1;

    private protected static int Copy(Span<byte> destination, ReadOnlySpan<byte> text)
    {
        text.CopyTo(destination);
        return text.Length;
    }

    /// <summary>Checks the writer and the frame (python-can's validity rules).</summary>
    private protected void Check(in CanMessage message)
    {
        ObjectDisposedException.ThrowIf(_output.IsDisposed, this);
        WriterChecks.Validate(message);
    }

    /// <summary>Checks the writer and the frame and applies the timestamp rule; returns the time to write.</summary>
    private protected double Begin(in CanMessage message)
    {
        Check(message);
        var timestamp = _clamp.Apply(message.Timestamp);
        if (_datedHeader && !_headerWritten)
        {
            StartMeasurement(WallClock.FloorMilliseconds(timestamp));
        }

        return timestamp;
    }

    /// <summary>Writes the dated header for a measurement starting at a Unix time in milliseconds.</summary>
    private protected virtual void WriteHeader(long startMilliseconds)
    {
    }

    /// <summary>Writes what ends the file (e.g. ASC's <c>End TriggerBlock</c>), before the output closes.</summary>
    private protected virtual void WriteTrailer()
    {
    }

    private static void CheckAppend(CanLogWriterOptions? options, string? singleHeaderFormat)
    {
        if (singleHeaderFormat is not null && options?.Append == true)
        {
            throw new NotSupportedException($"A {singleHeaderFormat} file has one header; it cannot be appended to (as in python-can).");
        }
    }

    private void StartMeasurement(long startMilliseconds)
    {
        _headerWritten = true;
        Start = startMilliseconds / 1000.0;
        WriteHeader(startMilliseconds);
    }

    private void Close()
    {
        if (_datedHeader && !_headerWritten)
        {
            StartMeasurement(Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        }

        WriteTrailer();
    }
}
