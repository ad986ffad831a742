using System.Globalization;
using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO;

/// <summary>
/// python-can's <c>SizedRotatingLogger</c>: logs to a file in the format of its suffix and, once the file has reached
/// <see cref="MaxBytes"/>, closes it, renames it to <c>&lt;stem&gt;_&lt;yyyy-MM-ddTHHmmss&gt;_#&lt;NNN&gt;&lt;suffixes&gt;</c>
/// (python-can's naming, e.g. <c>trace_2024-05-01T120000_#000.asc</c>) and starts a new file under the base name.
/// </summary>
/// <remarks>
/// <para>The size counts the bytes the writer produced, buffered or not (for <c>.gz</c> files the uncompressed
/// bytes, as python-can's gzip <c>tell()</c>); the check runs before each frame, so a file ends with the frame that
/// took it to or past the limit. Every stream-based registered format rotates (python-can: <c>.asc .blf .csv .log
/// .txt</c>), each new file with its own header.</para>
/// <para>Set <see cref="Namer"/> and <see cref="Rotator"/> to change names and how a full file is moved, and
/// <see cref="RolloverCount"/> to start counting elsewhere. Not thread-safe.</para>
/// </remarks>
public sealed class SizedRotatingCanLogWriter : ICanLogWriter
{
    private readonly CanLogFormat _format;
    private readonly CanLogWriterOptions _options;
    private CountingStream? _counter;
    private ICanLogWriter _writer;

    /// <summary>Starts logging to <paramref name="baseFileName"/>.</summary>
    /// <param name="baseFileName">The file written to; its suffix chooses the format (<c>.gz</c> allowed where the format allows it).</param>
    /// <param name="maxBytes">The size at which a file is rotated; 0 never rotates.</param>
    /// <param name="options">Writer settings for every file.</param>
    /// <param name="registry">Where the format is looked up; <see cref="CanLogFormatRegistry.Default"/> by default.</param>
    /// <exception cref="ArgumentException">The suffix is unknown or has no writer.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is negative.</exception>
    /// <exception cref="NotSupportedException">The format writes by path only (a database), which cannot be size-counted.</exception>
    public SizedRotatingCanLogWriter(string baseFileName, long maxBytes, CanLogWriterOptions? options = null, CanLogFormatRegistry? registry = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseFileName);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        registry ??= CanLogFormatRegistry.Default;
        (_format, _) = registry.Resolve(baseFileName, writing: true);
        if (!_format.IsStreamBased)
        {
            var supported = registry.Formats.Where(f => f.IsStreamBased && f.CanWrite).SelectMany(f => f.Extensions).Order(StringComparer.Ordinal);
            throw new NotSupportedException($"{nameof(SizedRotatingCanLogWriter)} cannot rotate {_format.Name} files; it rotates {string.Join(", ", supported)}.");
        }

        BaseFileName = Path.GetFullPath(baseFileName);
        MaxBytes = maxBytes;
        _options = options ?? CanLogWriterOptions.Default;
        _writer = NewWriter();
    }

    /// <summary>The full path of the file being written.</summary>
    public string BaseFileName { get; }

    /// <summary>The size at which a file is rotated, in bytes; 0 never rotates.</summary>
    public long MaxBytes { get; }

    /// <summary>The number of rotations so far; the next rotated file gets this number (settable to start elsewhere).</summary>
    public int RolloverCount { get; set; }

    /// <summary>Changes the name a full file is renamed to (python-can's <c>namer</c>); gets the default name.</summary>
    public Func<string, string>? Namer { get; set; }

    /// <summary>Moves a full file (python-can's <c>rotator</c>); gets the source and the destination. Default: rename.</summary>
    public Action<string, string>? Rotator { get; set; }

    /// <summary>The writer of the current file.</summary>
    public ICanLogWriter Writer => _writer;

    /// <summary>The size of the current file in bytes, counting what is still buffered.</summary>
    public long CurrentSize => (_counter?.BytesWritten ?? 0) + (_writer is IPendingBytes pending ? pending.PendingBytes : 0);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The frame cannot be written in the format.</exception>
    /// <exception cref="IOException">Rotating the file failed.</exception>
    public void Write(in CanMessage message)
    {
        if (MaxBytes > 0 && CurrentSize >= MaxBytes)
        {
            DoRollover();
            RolloverCount++;
        }

        _writer.Write(message);
    }

    /// <inheritdoc/>
    public void OnMessageReceived(in CanMessage message) => Write(message);

    /// <inheritdoc/>
    public void Flush() => _writer.Flush();

    /// <summary>Flushes and closes the current file (python-can's <c>stop()</c>).</summary>
    public void Stop() => Dispose();

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>python-can's default rotated name: <c>&lt;stem&gt;_&lt;local time yyyy-MM-ddTHHmmss&gt;_#&lt;RolloverCount:000&gt;&lt;last two suffixes&gt;</c> next to the base file.</summary>
    /// <returns>The full path.</returns>
    public string DefaultRotationName()
    {
        var name = Path.GetFileName(BaseFileName);
        var parts = name.Split('.');
        var suffixes = string.Concat(parts.Skip(1).TakeLast(2).Select(p => "." + p));
        var time = _options.TimeProvider.GetLocalNow().ToString("yyyy-MM-dd'T'HHmmss", CultureInfo.InvariantCulture);
        var rotated = $"{parts[0]}_{time}_#{RolloverCount.ToString("000", CultureInfo.InvariantCulture)}{suffixes}";
        return Path.Combine(Path.GetDirectoryName(BaseFileName) ?? string.Empty, rotated);
    }

    private void DoRollover()
    {
        _writer.Dispose();
        var destination = DefaultRotationName();
        if (Namer is { } namer)
        {
            destination = namer(destination);
        }

        if (Rotator is { } rotator)
        {
            rotator(BaseFileName, destination);
        }
        else if (File.Exists(BaseFileName))
        {
            File.Move(BaseFileName, destination, overwrite: false);
        }

        _writer = NewWriter();
    }

    private ICanLogWriter NewWriter()
    {
        _counter = null;
        var file = LogFiles.OpenWrite(BaseFileName, _options.Append, _options.CompressionLevel);
        try
        {
            _counter = new CountingStream(file);
            return _format.CreateWriter(_counter, _options, leaveOpen: false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
