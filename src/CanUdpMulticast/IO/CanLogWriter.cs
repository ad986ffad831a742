namespace CanUdpMulticast.IO;

/// <summary>
/// Creates log writers by suffix (python-can's <c>can.Logger</c>): <c>.asc</c>, <c>.csv</c>, <c>.log</c>,
/// <c>.trc</c>, <c>.txt</c> and whatever <see cref="CanLogFormatRegistry.Default"/> holds, each also
/// gzip-compressed (<c>trace.log.gz</c>) where the format allows it. A writer is a listener: hand it to a notifier.
/// </summary>
public static class CanLogWriter
{
    /// <summary>Creates a writer for a file, choosing the format by its suffix.</summary>
    /// <param name="path">The file; replaced unless <see cref="CanLogWriterOptions.Append"/> is set.</param>
    /// <param name="options">Writer settings.</param>
    /// <returns>The writer; dispose it (or call <c>Stop</c>) to flush and close the file.</returns>
    /// <exception cref="ArgumentException">The suffix is unknown or has no writer (the message lists the known ones), or is <c>.blf.gz</c>/<c>.db.gz</c>.</exception>
    /// <exception cref="NotSupportedException">The format cannot append and <see cref="CanLogWriterOptions.Append"/> is set.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public static ICanLogWriter Create(string path, CanLogWriterOptions? options = null) =>
        CanLogFormatRegistry.Default.CreateWriter(path, options);

    /// <summary>Creates a writer on a stream in the format of a suffix.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="extension">The format's suffix, e.g. <c>".log"</c>.</param>
    /// <param name="options">Writer settings.</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves the stream open.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="ArgumentException">The suffix is unknown.</exception>
    /// <exception cref="NotSupportedException">The format has no writer or writes only files by path.</exception>
    public static ICanLogWriter Create(Stream stream, string extension, CanLogWriterOptions? options = null, bool leaveOpen = false)
    {
        var format = CanLogFormatRegistry.Default.Find(extension)
            ?? throw new ArgumentException($"No write support for the log format \"{extension}\". Known formats: {string.Join(", ", CanLogFormatRegistry.Default.WritableExtensions)}.", nameof(extension));
        return format.CreateWriter(stream, options, leaveOpen);
    }
}
