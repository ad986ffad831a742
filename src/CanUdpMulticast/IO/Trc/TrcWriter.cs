using System.Globalization;
using System.Text;
using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Trc;

/// <summary>
/// Writes PEAK TRC 2.1 files (<c>.trc</c>, the version python-can's <c>TRCWriter</c> writes): the
/// <c>$FILEVERSION</c>, <c>$STARTTIME</c> and <c>$COLUMNS=N,O,T,B,I,d,R,L,D</c> header, then one line per frame
/// with its offset in milliseconds (microsecond resolution), CRLF line ends as PEAK's tools write them.
/// </summary>
/// <remarks>
/// <para>Unlike python-can 4.1, which skips them with a warning, remote frames (<c>RR</c>), error frames
/// (<c>ER</c>, their data bytes as written) and CAN FD frames (<c>FD</c>/<c>FB</c>/<c>FE</c>/<c>BI</c> by BRS and
/// ESI, the <c>L</c> column holding the DLC code) are written. python-can 4.1 reads back only the <c>DT</c>
/// lines.</para>
/// <para>The trace starts at the first frame's time rounded down to the millisecond (<c>$STARTTIME</c>, local time
/// or <see cref="CanLogWriterOptions.TimeZone"/>). Buses count from 1: a frame's channel number (or a name's
/// trailing digits) plus one; a frame without a channel gets <see cref="CanLogWriterOptions.DefaultChannel"/> (1) as
/// is. A timestamp earlier than the previous one is written as the previous one. Not thread-safe.</para>
/// </remarks>
public sealed class TrcWriter : TextLogWriter
{
    private const string FormatName = "TRC";

    private readonly long _defaultBus;
    private readonly TimeZoneInfo _timeZone;
    private long _number;

    /// <summary>Creates or replaces a file (a name ending in <c>.gz</c> is compressed).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Writer settings.</param>
    /// <exception cref="NotSupportedException"><see cref="CanLogWriterOptions.Append"/> is set (a TRC file has one header).</exception>
    public TrcWriter(string path, CanLogWriterOptions? options = null)
        : this(OpenFile(path, options, FormatName), options, leaveOpen: false)
    {
    }

    /// <summary>Writes to a stream.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="options">Writer settings.</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves the stream open.</param>
    /// <exception cref="NotSupportedException"><see cref="CanLogWriterOptions.Append"/> is set (a TRC file has one header).</exception>
    public TrcWriter(Stream stream, CanLogWriterOptions? options = null, bool leaveOpen = false)
        : base(stream, options, leaveOpen, FormatName)
    {
        _defaultBus = DefaultChannelNumber(options, FormatName);
        _timeZone = Options.TimeZone ?? TimeZoneInfo.Local;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The frame breaks python-can's validity rules.</exception>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public override void Write(in CanMessage message)
    {
        var timestamp = Begin(message);
        var bus = ChannelNumbers.ToNumber(message.Channel) is { } number ? number + 1 : _defaultBus;
        var type = message.IsErrorFrame ? "ER"u8
            : message.IsRemoteFrame ? "RR"u8
            : !message.IsFd ? "DT"u8
            : message.BitrateSwitch && message.ErrorStateIndicator ? "BI"u8
            : message.BitrateSwitch ? "FB"u8
            : message.ErrorStateIndicator ? "FE"u8
            : "FD"u8;

        // {N:>7} {O:13.3f} {T} {B:>2} {I:>8} {d:>2} -  {L:<4} {D}
        var span = Output.GetSpan(320);
        Span<byte> field = stackalloc byte[32];
        var pos = AsciiText.WritePadLeft(span, field[..AsciiText.WriteDecimal(field, ++_number)], 7);
        span[pos++] = (byte)' ';
        pos += AsciiText.WritePadLeft(span[pos..], field[..AsciiText.WriteFixed(field, Math.Max(0.0, timestamp - Start) * 1000.0, 3)], 13);
        span[pos++] = (byte)' ';
        type.CopyTo(span[pos..]);
        pos += 2;
        span[pos++] = (byte)' ';
        pos += AsciiText.WritePadLeft(span[pos..], field[..AsciiText.WriteDecimal(field, bus)], 2);
        span[pos++] = (byte)' ';
        var idLength = message.IsErrorFrame ? Copy(field, "-"u8) : AsciiText.WriteHex(field, message.ArbitrationId, message.IsExtendedId ? 8 : 4);
        pos += AsciiText.WritePadLeft(span[pos..], field[..idLength], 8);
        span[pos++] = (byte)' ';
        pos += Copy(span[pos..], message.IsRx ? "Rx -  "u8 : "Tx -  "u8);
        // L holds the DLC code; a CAN FD length no code stands for is written as the byte count, which the data
        // columns confirm to a reader.
        var length = message.IsErrorFrame ? message.DataLength
            : !message.IsFd ? message.Dlc
            : CanDlc.IsValidFdLength(message.DataLength) ? CanDlc.ToCode(message.DataLength)
            : message.DataLength;
        pos += AsciiText.WritePadRight(span[pos..], field[..AsciiText.WriteDecimal(field, length)], 4);
        if (!message.IsRemoteFrame && message.DataLength > 0)
        {
            span[pos++] = (byte)' ';
            pos += AsciiText.WriteHexBytes(span[pos..], message.Data, spaced: true);
        }
        else
        {
            while (span[pos - 1] == (byte)' ')
            {
                pos--;
            }
        }

        span[pos++] = (byte)'\r';
        span[pos++] = (byte)'\n';
        Output.Advance(pos);
    }

    private protected override void WriteHeader(long startMilliseconds)
    {
        var wallClock = WallClock.FromUnixMilliseconds(startMilliseconds, _timeZone);
        var header = new StringBuilder(1024)
            .Append(";$FILEVERSION=2.1\r\n")
            .Append(";$STARTTIME=").Append(TrcStartTime.Format(startMilliseconds, _timeZone)).Append("\r\n")
            .Append(";$COLUMNS=N,O,T,B,I,d,R,L,D\r\n")
            .Append(";\r\n")
            .Append(";   Start time: ").Append(wallClock.ToString("dd.MM.yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append(".0\r\n")
            .Append(";   Generated by CanUdpMulticast\r\n")
            .Append(";-------------------------------------------------------------------------------\r\n")
            .Append(";   Bus   Name            Connection               Protocol\r\n")
            .Append(";   N/A   N/A             N/A                      N/A\r\n")
            .Append(";-------------------------------------------------------------------------------\r\n")
            .Append(";   Message   Time    Type    ID     Rx/Tx\r\n")
            .Append(";   Number    Offset  |  Bus  [hex]  |  Reserved\r\n")
            .Append(";   |         [ms]    |  |    |      |  |  Data Length Code\r\n")
            .Append(";   |         |       |  |    |      |  |  |    Data [hex] ...\r\n")
            .Append(";   |         |       |  |    |      |  |  |    |\r\n")
            .Append(";---+-- ------+------ +- +- --+----- +- +- +--- +- -- -- -- -- -- -- --\r\n");
        Output.Write(header.ToString());
    }
}
