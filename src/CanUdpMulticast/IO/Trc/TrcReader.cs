using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Trc;

/// <summary>
/// Reads PEAK TRC files (python-can's <c>TRCReader</c>, file suffix <c>.trc</c>) of versions 1.0, 1.1, 1.2, 1.3, 2.0
/// and 2.1: data frames, remote frames, error frames and, in 2.x, CAN FD frames (<c>FD</c>, <c>FB</c> with BRS,
/// <c>FE</c> with ESI, <c>BI</c> with both). Streams the file; nothing is loaded whole.
/// </summary>
/// <remarks>
/// <para>Timestamps are seconds since the Unix epoch: <c>$STARTTIME</c> (local time, or
/// <see cref="CanLogReaderOptions.TimeZone"/>) plus the line's offset. Version 1.0 has no start time, and with
/// <see cref="CanLogReaderOptions.RelativeTimestamps"/> it is ignored: timestamps are then the offsets (python-can
/// 4.1's behaviour for every version).</para>
/// <para>Buses count from 1; frames get the bus number minus one (python-can's writer adds one, its 4.1 reader forgets
/// to subtract it). Versions without a bus column give frames without a channel. Hardware status (<c>ST</c>,
/// <c>Warng</c>, id <c>FFFFFFFF</c>), error counter (<c>EC</c>) and event (<c>EV</c>) lines are skipped. Error frame
/// lines give error frames holding the line's bytes (and, in 1.x, its id).</para>
/// <para>An unsupported <c>$FILEVERSION</c> or a bad <c>$STARTTIME</c> or <c>$COLUMNS</c> stops reading with a
/// <see cref="CanLogFormatException"/> whatever <see cref="CanLogReaderOptions.InvalidLines"/> says.</para>
/// </remarks>
public sealed class TrcReader : TextLogReader
{
    /// <inheritdoc cref="TextLogReader(CanLogFile, CanLogReaderOptions?, Func{CanLogReaderOptions, LineParser})"/>
    public TrcReader(CanLogFile file, CanLogReaderOptions? options = null)
        : base(file, options, o => new TrcLineParser(o))
    {
    }

    /// <summary>The file version (1.0 ... 2.1), known once the first message line was read; 1.0 when the file does not say.</summary>
    public Version? FileVersion => ((TrcLineParser)Parser).FileVersion;
}
