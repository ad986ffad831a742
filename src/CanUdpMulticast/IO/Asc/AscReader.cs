using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Asc;

/// <summary>
/// Reads Vector ASC files (python-can's <c>ASCReader</c>, file suffix <c>.asc</c>): classic CAN lines, remote
/// frames, error frames and <c>CANFD</c> lines, in hex or decimal (<c>base</c> header), with absolute or relative
/// <c>timestamps</c>. Streams the file; nothing is loaded whole.
/// </summary>
/// <remarks>
/// <para>Timestamps are seconds since the Unix epoch: the start time of the measurement (the <c>date</c> line,
/// replaced by a <c>Begin Triggerblock</c> date, read in <see cref="CanLogReaderOptions.TimeZone"/>) plus the
/// event's time. With <see cref="CanLogReaderOptions.RelativeTimestamps"/> the start time is ignored, as
/// python-can's reader does by default. With <c>timestamps relative</c> each event's time counts from the previous
/// event (python-can 4.1 ignores that header word).</para>
/// <para>ASC numbers channels from 1; frames get the number minus one (python-can's convention, which its writer
/// reverses). Comments, statistics, status, J1939 and other events are skipped. A <c>CANFD</c> line's flags decide
/// between CAN FD and a classic (possibly remote) frame written in the FD layout; python-can 4.1 instead takes an FD
/// line with no data for a remote frame.</para>
/// <para>A file that does not start like an ASC file, a bad <c>base</c> line or an unreadable date stops reading
/// with a <see cref="CanLogFormatException"/> whatever <see cref="CanLogReaderOptions.InvalidLines"/> says.</para>
/// </remarks>
public sealed class AscReader : TextLogReader
{
    /// <summary>Opens a file (a name ending in <c>.gz</c> is decompressed).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Reader settings.</param>
    public AscReader(string path, CanLogReaderOptions? options = null)
        : this(LogFiles.OpenRead(path), options, leaveOpen: false, sourceName: path)
    {
    }

    /// <summary>Reads from a stream.</summary>
    /// <param name="stream">The stream, positioned at the start of the log.</param>
    /// <param name="options">Reader settings.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves the stream open.</param>
    /// <param name="sourceName">A name for error messages.</param>
    public AscReader(Stream stream, CanLogReaderOptions? options = null, bool leaveOpen = false, string? sourceName = null)
        : base(stream, options, leaveOpen, sourceName, o => new AscLineParser(o))
    {
    }
}
