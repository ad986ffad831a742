using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO;

/// <summary>
/// Log formats by file suffix (python-can's <c>LogReader</c>/<c>Logger</c> dispatch): opens a reader or creates a
/// writer for a path, choosing the format by its suffix, with <c>.gz</c> compression around the formats that allow
/// it. The built-in formats are registered explicitly (no assembly scanning); add more with <see cref="Register"/>.
/// </summary>
/// <remarks>All members are thread-safe.</remarks>
public sealed class CanLogFormatRegistry
{
    // python-can refuses gzip around these binary formats whether or not they are registered.
    private static readonly string[] NoGzipExtensions = [".blf", ".db"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, CanLogFormat> _formats = new(StringComparer.Ordinal);

    /// <summary>Creates a registry.</summary>
    /// <param name="includeBuiltIns">Whether to register the built-in formats (<c>.asc .csv .log .trc .txt</c>).</param>
    public CanLogFormatRegistry(bool includeBuiltIns = true)
    {
        if (includeBuiltIns)
        {
            BuiltInLogFormats.RegisterAll(this);
        }
    }

    /// <summary>The registry that <see cref="CanLogReader"/> and <see cref="CanLogWriter"/> use.</summary>
    public static CanLogFormatRegistry Default { get; } = new();

    /// <summary>The registered formats, each once, by name.</summary>
    public IReadOnlyList<CanLogFormat> Formats
    {
        get
        {
            lock (_gate)
            {
                return [.. _formats.Values.Distinct().OrderBy(f => f.Name, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The suffixes that have a reader, sorted.</summary>
    public IReadOnlyList<string> ReadableExtensions => Suffixes(f => f.CanRead);

    /// <summary>The suffixes that have a writer, sorted.</summary>
    public IReadOnlyList<string> WritableExtensions => Suffixes(f => f.CanWrite);

    /// <summary>Registers a format under each of its suffixes; a suffix that exists already is taken over, as a python-can plugin overrides a built-in.</summary>
    /// <param name="format">The format.</param>
    public void Register(CanLogFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        lock (_gate)
        {
            foreach (var extension in format.Extensions)
            {
                _formats[extension] = format;
            }
        }
    }

    /// <summary>Removes the format of a suffix.</summary>
    /// <param name="extension">The suffix, e.g. <c>".asc"</c>.</param>
    /// <returns>Whether a format was registered for it.</returns>
    public bool Unregister(string extension)
    {
        var key = CanLogFormat.NormalizeExtension(extension);
        lock (_gate)
        {
            return _formats.Remove(key);
        }
    }

    /// <summary>The format of a suffix, or <see langword="null"/>.</summary>
    /// <param name="extension">The suffix, e.g. <c>".asc"</c> (case-insensitive).</param>
    /// <returns>The format, or <see langword="null"/>.</returns>
    public CanLogFormat? Find(string extension)
    {
        var key = CanLogFormat.NormalizeExtension(extension);
        lock (_gate)
        {
            return _formats.GetValueOrDefault(key);
        }
    }

    /// <summary>Opens a reader for a file, choosing the format by its suffix (<c>.gz</c>: decompressed on the fly).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Reader settings.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="ArgumentException">The suffix is unknown or has no reader (the message lists the readable ones), or is gzip around a format that refuses it.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public ICanLogReader OpenReader(string path, CanLogReaderOptions? options = null)
    {
        var (format, _) = Resolve(path, writing: false);
        var stream = format.IsStreamBased ? LogFiles.OpenRead(path) : null;

        try
        {
            return format.OpenReader(path, stream, options ?? CanLogReaderOptions.Default);
        }
        catch
        {
            stream?.Dispose();
            throw;
        }
    }

    /// <summary>Creates a writer for a file, choosing the format by its suffix (<c>.gz</c>: compressed on the fly).</summary>
    /// <param name="path">The file; replaced unless <see cref="CanLogWriterOptions.Append"/> is set.</param>
    /// <param name="options">Writer settings.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="ArgumentException">The suffix is unknown or has no writer (the message lists the writable ones), or is gzip around a format that refuses it.</exception>
    /// <exception cref="NotSupportedException">The format cannot append and <see cref="CanLogWriterOptions.Append"/> is set.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public ICanLogWriter CreateWriter(string path, CanLogWriterOptions? options = null)
    {
        options ??= CanLogWriterOptions.Default;
        var (format, _) = Resolve(path, writing: true);
        Stream? stream = format.IsStreamBased ? LogFiles.OpenWrite(path, options.Append, options.CompressionLevel) : null;
        try
        {
            return format.CreateWriter(path, stream, options);
        }
        catch
        {
            stream?.Dispose();
            throw;
        }
    }

    /// <summary>The format for a path and whether it is gzip-compressed.</summary>
    /// <param name="path">The file name.</param>
    /// <param name="writing">Whether a writer (or else a reader) is wanted.</param>
    /// <returns>The format and whether the name ends in <c>.gz</c>.</returns>
    /// <exception cref="ArgumentException">As for <see cref="OpenReader"/> and <see cref="CreateWriter"/>.</exception>
    internal (CanLogFormat Format, bool Gzip) Resolve(string path, bool writing)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var suffix = Path.GetExtension(path).ToLowerInvariant();
        var gzip = suffix == ".gz";
        if (gzip)
        {
            suffix = Path.GetExtension(path[..^3]).ToLowerInvariant();
            if (NoGzipExtensions.Contains(suffix))
            {
                throw new ArgumentException($"The file type {suffix} is currently incompatible with gzip ('{path}').", nameof(path));
            }
        }

        var format = suffix.Length > 1 ? Find(suffix) : null;
        if (format is null || !(writing ? format.CanWrite : format.CanRead))
        {
            var known = writing ? WritableExtensions : ReadableExtensions;
            var shown = suffix.Length > 0 ? suffix : "(none)";
            throw new ArgumentException(
                $"No {(writing ? "write" : "read")} support for the log format \"{shown}\" of '{path}'. "
                + $"Known formats: {string.Join(", ", known)} (the text formats also as <name><suffix>.gz).",
                nameof(path));
        }

        if (gzip && !format.SupportsGzip)
        {
            throw new ArgumentException($"The file type {suffix} is currently incompatible with gzip ('{path}').", nameof(path));
        }

        return (format, gzip);
    }

    private string[] Suffixes(Func<CanLogFormat, bool> predicate)
    {
        lock (_gate)
        {
            return [.. _formats.Where(p => predicate(p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal)];
        }
    }
}
