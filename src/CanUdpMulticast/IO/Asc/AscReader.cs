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
    /// <inheritdoc cref="TextLogReader(CanLogFile, CanLogReaderOptions?, Func{CanLogReaderOptions, LineParser})"/>
    public AscReader(CanLogFile file, CanLogReaderOptions? options = null)
        : base(file, options, o => new AscLineParser(o))
    {
    }
}
