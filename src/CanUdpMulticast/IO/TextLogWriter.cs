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
    private readonly long _defaultChannelNumber;
    private TimestampClamp _clamp;
    private bool _headerWritten;

    /// <summary>Opens a writer.</summary>
    /// <param name="file">A path (created or replaced, or appended to with <see cref="CanLogWriterOptions.Append"/>; a name ending in <c>.gz</c> is compressed) or a writable stream.</param>
    /// <param name="options">Writer settings.</param>
    /// <param name="singleHeaderFormat">The format's name if its one header carries the measurement's start (it cannot append), else <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> is null.</exception>
    /// <exception cref="NotSupportedException"><see cref="CanLogWriterOptions.Append"/> is set and the format has one header.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    private protected TextLogWriter(CanLogFile file, CanLogWriterOptions? options, string? singleHeaderFormat)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (singleHeaderFormat is not null && options?.Append == true)
        {
            throw new NotSupportedException($"A {singleHeaderFormat} file has one header; it cannot be appended to (as in python-can).");
        }

        Options = options ?? CanLogWriterOptions.Default;
        if (singleHeaderFormat is not null)
        {
            // Checked before the file is created, so a bad setting leaves no file behind.
            _defaultChannelNumber = Options.DefaultChannel is { } channel
                ? ChannelNumbers.ToNumber(channel) ?? throw new ArgumentException($"The {singleHeaderFormat} default channel '{channel}' must be a number or end in digits.", nameof(options))
                : 1;
        }

        TimeZone = Options.TimeZone ?? TimeZoneInfo.Local;
        _output = new LogOutput(file.OpenWrite(Options.Append, Options.CompressionLevel), file.LeaveOpen, Options.BufferSize);
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

    /// <summary>The time zone of the dated header (<see cref="CanLogWriterOptions.TimeZone"/>, local time by default).</summary>
    private protected TimeZoneInfo TimeZone { get; }

    /// <summary>
    /// The channel number to write for formats that count channels from 1 (ASC, TRC): the frame's channel number (or
    /// a name's trailing digits) plus one, or <see cref="CanLogWriterOptions.DefaultChannel"/> (1) as is.
    /// </summary>
    private protected long ChannelNumberFromOne(in CanMessage message) =>
        ChannelNumbers.ToNumber(message.Channel) is { } number ? number + 1 : _defaultChannelNumber;

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
