namespace CanUdpMulticast.IO;

/// <summary>
/// Opens log files by suffix (python-can's <c>can.LogReader</c>): <c>.asc</c>, <c>.csv</c>, <c>.log</c>,
/// <c>.trc</c> and whatever <see cref="CanLogFormatRegistry.Default"/> holds, each also gzip-compressed
/// (<c>trace.asc.gz</c>) where the format allows it.
/// </summary>
/// <example>
/// <code>
/// using var reader = CanLogReader.Open("trace.asc");
/// foreach (var frame in reader) { ... }
/// </code>
/// </example>
public static class CanLogReader
{
    /// <summary>Opens a reader for a file, choosing the format by its suffix.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Reader settings.</param>
    /// <returns>The reader (enumerate it once, synchronously or asynchronously).</returns>
    /// <exception cref="ArgumentException">The suffix is unknown or has no reader (the message lists the known ones), or is <c>.blf.gz</c>/<c>.db.gz</c>.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static ICanLogReader Open(string path, CanLogReaderOptions? options = null) =>
        CanLogFormatRegistry.Default.OpenReader(path, options);

    /// <summary>Opens a reader on a stream in the format of a suffix.</summary>
    /// <param name="stream">The stream (already decompressed).</param>
    /// <param name="extension">The format's suffix, e.g. <c>".asc"</c>.</param>
    /// <param name="options">Reader settings.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves the stream open.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="ArgumentException">The suffix is unknown.</exception>
    /// <exception cref="NotSupportedException">The format has no reader or reads only files by path.</exception>
    public static ICanLogReader Open(Stream stream, string extension, CanLogReaderOptions? options = null, bool leaveOpen = false)
    {
        var format = CanLogFormatRegistry.Default.Find(extension)
            ?? throw new ArgumentException($"No read support for the log format \"{extension}\". Known formats: {string.Join(", ", CanLogFormatRegistry.Default.ReadableExtensions)}.", nameof(extension));
        return format.OpenReader(stream, options, leaveOpen);
    }
}
