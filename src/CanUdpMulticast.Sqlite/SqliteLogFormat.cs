namespace CanUdpMulticast.IO.Sqlite;

/// <summary>
/// Plugs SQLite (<c>.db</c>, python-can's table layout) into the log format factory. It lives in this separate
/// package because it brings a native SQLite library; call <see cref="Register"/> once at start-up.
/// </summary>
public static class SqliteLogFormat
{
    /// <summary>
    /// The format: file-based (no streams, no <c>.gz</c>, as in python-can). <see cref="SqliteReaderOptions"/> and
    /// <see cref="SqliteWriterOptions"/> given as <see cref="CanLogReaderOptions.FormatOptions"/> /
    /// <see cref="CanLogWriterOptions.FormatOptions"/> reach the reader and writer; a table is always appended to.
    /// </summary>
    public static CanLogFormat Format { get; } = CanLogFormat.ForFiles(
        "SQLite (python-can layout)",
        [".db"],
        (path, options) => new SqliteReader(path, options.FormatOptions as SqliteReaderOptions),
        (path, options) => new SqliteWriter(path, options.FormatOptions as SqliteWriterOptions));

    /// <summary>Registers <c>.db</c> with a registry.</summary>
    /// <param name="registry">The registry; <see cref="CanLogFormatRegistry.Default"/> when <see langword="null"/>.</param>
    public static void Register(CanLogFormatRegistry? registry = null) => (registry ?? CanLogFormatRegistry.Default).Register(Format);
}
