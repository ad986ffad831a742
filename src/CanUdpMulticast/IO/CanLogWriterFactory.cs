namespace CanUdpMulticast.IO;

/// <summary>Creates a writer for a format over a stream (see <see cref="CanLogFormat"/>).</summary>
/// <param name="stream">The stream (compressing, for <c>.gz</c> files).</param>
/// <param name="leaveOpen">Whether disposing the writer must leave <paramref name="stream"/> open.</param>
/// <param name="options">Writer settings.</param>
/// <returns>The writer.</returns>
public delegate ICanLogWriter CanLogWriterFactory(Stream stream, bool leaveOpen, CanLogWriterOptions options);
