namespace CanUdpMulticast.IO;

/// <summary>Opens a reader for a format over a stream (see <see cref="CanLogFormat"/>).</summary>
/// <param name="stream">The (already decompressed) stream, positioned at the start of the log.</param>
/// <param name="leaveOpen">Whether disposing the reader must leave <paramref name="stream"/> open.</param>
/// <param name="sourceName">The file name for error messages, if known.</param>
/// <param name="options">Reader settings.</param>
/// <returns>The reader.</returns>
public delegate ICanLogReader CanLogReaderFactory(Stream stream, bool leaveOpen, string? sourceName, CanLogReaderOptions options);
