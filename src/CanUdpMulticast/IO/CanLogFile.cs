using System.IO.Compression;
using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO;

/// <summary>
/// Where a log reader reads from or a log writer writes to: a file by path, which the reader or writer opens, owns and
/// (for a name ending in <c>.gz</c>, where the format allows it) decompresses or compresses; or a stream of the
/// caller's. A path or a stream converts implicitly, so <c>new AscReader("trace.asc")</c> and
/// <c>new AscWriter(stream)</c> read as they would with two constructors.
/// </summary>
/// <example>
/// <code>
/// using var reader = new AscReader("trace.asc");
/// using var writer = new CanutilsWriter(CanLogFile.FromStream(stream, leaveOpen: true), options);
/// </code>
/// </example>
public sealed class CanLogFile
{
    private CanLogFile(string? path, Stream? stream, bool leaveOpen, string? name)
    {
        Path = path;
        Stream = stream;
        LeaveOpen = leaveOpen;
        Name = name;
    }

    /// <summary>The file's path, or <see langword="null"/> for a stream.</summary>
    internal string? Path { get; }

    /// <summary>The caller's stream, or <see langword="null"/> for a path.</summary>
    internal Stream? Stream { get; }

    /// <summary>Whether disposing the reader or writer leaves <see cref="Stream"/> open (always <see langword="false"/> for a path).</summary>
    internal bool LeaveOpen { get; }

    /// <summary>The name used in error messages: the path, or the name given with the stream.</summary>
    internal string? Name { get; }

    /// <summary>A file by path; the reader or writer opens and closes it.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    public static CanLogFile FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new CanLogFile(path, null, leaveOpen: false, path);
    }

    /// <summary>A stream of the caller's, positioned where the log starts (already decompressed, or compressing).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="leaveOpen">Whether disposing the reader or writer leaves the stream open.</param>
    /// <param name="name">A name for error messages.</param>
    /// <returns>The file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public static CanLogFile FromStream(Stream stream, bool leaveOpen = false, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new CanLogFile(null, stream, leaveOpen, name);
    }

    /// <summary>A file by path (<see cref="FromPath"/>).</summary>
    /// <param name="path">The file.</param>
    public static implicit operator CanLogFile(string path) => FromPath(path);

    /// <summary>A stream that the reader or writer closes when it is disposed (<see cref="FromStream"/>).</summary>
    /// <param name="stream">The stream.</param>
    public static implicit operator CanLogFile(Stream stream) => FromStream(stream);

    /// <summary>The stream to read: the caller's, or the opened file (decompressed for a <c>.gz</c> name).</summary>
    internal Stream OpenRead() => Stream ?? LogFiles.OpenRead(Path!);

    /// <summary>The stream to write: the caller's, or the created (or, appending, opened) file, compressed for a <c>.gz</c> name.</summary>
    internal Stream OpenWrite(bool append, CompressionLevel compressionLevel) =>
        Stream ?? LogFiles.OpenWrite(Path!, append, compressionLevel);
}
