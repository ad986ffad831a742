namespace CanUdpMulticast.IO.Sqlite;

/// <summary>
/// Plugs SQLite (<c>.db</c>, python-can's table layout) into the log format factory. It lives in this separate
/// package because it brings a native SQLite library; call <see cref="Register"/> once at start-up.
/// </summary>
public static class SqliteLogFormat
{
    /// <summary>The format: file-based (no streams, no <c>.gz</c>, as in python-can).</summary>
    public static CanLogFormat Format { get; } = CanLogFormat.ForFiles(
        "SQLite (python-can layout)",
        [".db"],
        (path, options) => new SqliteReader(path),
        (path, options) => new SqliteWriter(path));

    /// <summary>Registers <c>.db</c> with a registry.</summary>
    /// <param name="registry">The registry; <see cref="CanLogFormatRegistry.Default"/> when <see langword="null"/>.</param>
    public static void Register(CanLogFormatRegistry? registry = null) => (registry ?? CanLogFormatRegistry.Default).Register(Format);
}
