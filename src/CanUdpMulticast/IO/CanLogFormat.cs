namespace CanUdpMulticast.IO;

/// <summary>
/// A log file format known to a <see cref="CanLogFormatRegistry"/>: its name, its file suffixes, and how to open a
/// reader and create a writer. Stream-based formats (every text format, BLF) also work on <c>.gz</c> files when
/// they allow it; file-based formats (a database) get a path.
/// </summary>
public sealed class CanLogFormat
{
    private readonly CanLogReaderFactory? _streamReader;
    private readonly CanLogWriterFactory? _streamWriter;
    private readonly Func<string, CanLogReaderOptions, ICanLogReader>? _fileReader;
    private readonly Func<string, CanLogWriterOptions, ICanLogWriter>? _fileWriter;

    private CanLogFormat(
        string name,
        IEnumerable<string> extensions,
        bool supportsGzip,
        CanLogReaderFactory? streamReader,
        CanLogWriterFactory? streamWriter,
        Func<string, CanLogReaderOptions, ICanLogReader>? fileReader,
        Func<string, CanLogWriterOptions, ICanLogWriter>? fileWriter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(extensions);
        var list = extensions.Select(NormalizeExtension).Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("A log format needs at least one file suffix.", nameof(extensions));
        }

        if (list.Contains(".gz"))
        {
            throw new ArgumentException("'.gz' is not a format: it compresses another format's file.", nameof(extensions));
        }

        Name = name;
        Extensions = list;
        SupportsGzip = supportsGzip;
        _streamReader = streamReader;
        _streamWriter = streamWriter;
        _fileReader = fileReader;
        _fileWriter = fileWriter;
        if (!CanRead && !CanWrite)
        {
            throw new ArgumentException("A log format needs a reader, a writer or both.", nameof(name));
        }
    }

    /// <summary>The format's name, e.g. <c>"Vector ASC"</c>.</summary>
    public string Name { get; }

    /// <summary>The file suffixes, lower case with the dot, e.g. <c>".asc"</c>.</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>Whether <c>&lt;name&gt;&lt;suffix&gt;.gz</c> files work (python-can refuses them for BLF and SQLite).</summary>
    public bool SupportsGzip { get; }

    /// <summary>Whether the format has a reader.</summary>
    public bool CanRead => _streamReader is not null || _fileReader is not null;

    /// <summary>Whether the format has a writer.</summary>
    public bool CanWrite => _streamWriter is not null || _fileWriter is not null;

    /// <summary>Whether readers and writers work on streams (otherwise only on file paths).</summary>
    public bool IsStreamBased => _streamReader is not null || _streamWriter is not null;

    /// <summary>A format whose readers and writers work on streams.</summary>
    /// <param name="name">The format's name.</param>
    /// <param name="extensions">Its file suffixes (<c>".log"</c>; the dot is added when missing).</param>
    /// <param name="reader">Opens a reader, or <see langword="null"/> for a write-only format.</param>
    /// <param name="writer">Creates a writer, or <see langword="null"/> for a read-only format.</param>
    /// <param name="supportsGzip">Whether <c>.gz</c> compression is allowed around the format.</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentException">No suffix, no reader and no writer, or <c>.gz</c> given as a suffix.</exception>
    public static CanLogFormat ForStreams(string name, IEnumerable<string> extensions, CanLogReaderFactory? reader, CanLogWriterFactory? writer, bool supportsGzip = true) =>
        new(name, extensions, supportsGzip, reader, writer, null, null);

    /// <summary>A format whose readers and writers open files by path themselves (e.g. a database); no <c>.gz</c>, no streams.</summary>
    /// <param name="name">The format's name.</param>
    /// <param name="extensions">Its file suffixes.</param>
    /// <param name="reader">Opens a reader for a path, or <see langword="null"/>.</param>
    /// <param name="writer">Creates a writer for a path, or <see langword="null"/>.</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentException">No suffix, no reader and no writer, or <c>.gz</c> given as a suffix.</exception>
    public static CanLogFormat ForFiles(string name, IEnumerable<string> extensions, Func<string, CanLogReaderOptions, ICanLogReader>? reader, Func<string, CanLogWriterOptions, ICanLogWriter>? writer) =>
        new(name, extensions, false, null, null, reader, writer);

    /// <summary>Opens a reader on a stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="options">Reader settings.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves the stream open.</param>
    /// <param name="sourceName">A name for error messages.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="NotSupportedException">The format has no reader, or reads only files by path.</exception>
    public ICanLogReader OpenReader(Stream stream, CanLogReaderOptions? options = null, bool leaveOpen = false, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var factory = _streamReader ?? throw new NotSupportedException(
            CanRead ? $"{Name} files are read by path, not from a stream." : $"There is no reader for {Name} files.");
        return factory(stream, leaveOpen, sourceName, options ?? CanLogReaderOptions.Default);
    }

    /// <summary>Creates a writer on a stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="options">Writer settings.</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves the stream open.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="NotSupportedException">The format has no writer, or writes only files by path.</exception>
    public ICanLogWriter CreateWriter(Stream stream, CanLogWriterOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var factory = _streamWriter ?? throw new NotSupportedException(
            CanWrite ? $"{Name} files are written by path, not to a stream." : $"There is no writer for {Name} files.");
        return factory(stream, leaveOpen, options ?? CanLogWriterOptions.Default);
    }

    internal ICanLogReader OpenReader(string path, Stream? stream, CanLogReaderOptions options) =>
        stream is not null ? OpenReader(stream, options, leaveOpen: false, sourceName: path)
        : _fileReader is not null ? _fileReader(path, options)
        : throw new NotSupportedException($"There is no reader for {Name} files.");

    internal ICanLogWriter CreateWriter(string path, Stream? stream, CanLogWriterOptions options) =>
        stream is not null ? CreateWriter(stream, options, leaveOpen: false)
        : _fileWriter is not null ? _fileWriter(path, options)
        : throw new NotSupportedException($"There is no writer for {Name} files.");

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({string.Join(", ", Extensions)})";

    internal static string NormalizeExtension(string extension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(extension);
        extension = extension.Trim().ToLowerInvariant();
        return extension.StartsWith('.') ? extension : "." + extension;
    }
}
