using System.Text;
using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Asc;

/// <summary>
/// Writes Vector ASC files (<c>.asc</c>) in python-can's <c>ASCWriter</c> layout: a <c>date</c> /
/// <c>base hex  timestamps absolute</c> / <c>internal events logged</c> header, one trigger block, classic lines
/// (<c>1  123x            Rx   d 2 01 02</c>, <c>r</c> plus DLC for remote frames, <c>ErrorFrame</c>) and
/// <c>CANFD</c> lines with BRS, ESI and the FDF/BRS/ESI flags. Files convert with can-utils' <c>asc2log</c>.
/// </summary>
/// <remarks>
/// <para>The measurement starts at the first frame's time rounded down to the millisecond: the header dates carry
/// that start (in <see cref="CanLogWriterOptions.TimeZone"/>) and every line its microsecond offset, so readers that
/// add the two (python-can with <c>relative_timestamp=False</c>, can-utils) get the frames' times back to the
/// microsecond. python-can starts at the first frame itself and so loses up to a millisecond of absolute time.</para>
/// <para>ASC channels count from 1: a frame's channel number (or a name's trailing digits, <c>"can2"</c>) plus one
/// is written; a frame without a channel gets <see cref="CanLogWriterOptions.DefaultChannel"/> (1) as is, as in
/// python-can. Unlike python-can, an error frame keeps its own channel.</para>
/// <para>The header is written with the first frame, so its dates are the measurement's; disposal writes
/// <c>End TriggerBlock</c>. A timestamp earlier than the previous one is written as the previous one.
/// Not thread-safe.</para>
/// </remarks>
public sealed class AscWriter : TextLogWriter
{
    private const int FdFlagFdf = 1 << 12;
    private const int FdFlagBrs = 1 << 13;
    private const int FdFlagEsi = 1 << 14;

    private const string FormatName = "ASC";

    private readonly AscTimestampFormat _timestampFormat;
    private double _previousOffset;

    /// <inheritdoc cref="TextLogWriter(CanLogFile, CanLogWriterOptions?, string?)"/>
    public AscWriter(CanLogFile file, CanLogWriterOptions? options = null)
        : base(file, options, FormatName)
    {
        _timestampFormat = Options.AscTimestamps;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The frame breaks python-can's validity rules.</exception>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public override void Write(in CanMessage message)
    {
        var timestamp = Begin(message);
        var channel = ChannelNumberFromOne(message);
        var span = Output.GetSpan(512);
        var pos = WriteTime(span, timestamp);
        if (message.IsErrorFrame)
        {
            pos += AsciiText.WriteDecimal(span[pos..], channel);
            pos += Copy(span[pos..], "  ErrorFrame\n"u8);
            Output.Advance(pos);
            return;
        }

        Span<byte> id = stackalloc byte[9];
        var idLength = AsciiText.WriteHex(id, message.ArbitrationId, 1);
        if (message.IsExtendedId)
        {
            id[idLength++] = (byte)'x';
        }

        var direction = message.IsRx ? "Rx"u8 : "Tx"u8;
        if (message.IsFd)
        {
            // CANFD {channel:>3} {dir:<4} {id:>8}  {symbolic_name:>32} {brs} {esi} {dlc:x} {data_length:>2} {data} ...
            pos += Copy(span[pos..], "CANFD "u8);
            Span<byte> digits = stackalloc byte[20];
            pos += AsciiText.WritePadLeft(span[pos..], digits[..AsciiText.WriteDecimal(digits, channel)], 3);
            span[pos++] = (byte)' ';
            pos += AsciiText.WritePadRight(span[pos..], direction, 4);
            span[pos++] = (byte)' ';
            pos += AsciiText.WritePadLeft(span[pos..], id[..idLength], 8);
            span.Slice(pos, 35).Fill((byte)' ');
            pos += 35;
            span[pos++] = message.BitrateSwitch ? (byte)'1' : (byte)'0';
            span[pos++] = (byte)' ';
            span[pos++] = message.ErrorStateIndicator ? (byte)'1' : (byte)'0';
            span[pos++] = (byte)' ';
            span[pos++] = (byte)char.ToLowerInvariant((char)AsciiText.UpperHexDigits[CanDlc.ToCode(message.Dlc)]);
            span[pos++] = (byte)' ';
            pos += AsciiText.WritePadLeft(span[pos..], digits[..AsciiText.WriteDecimal(digits, message.DataLength)], 2);
            span[pos++] = (byte)' ';
            pos += AsciiText.WriteHexBytes(span[pos..], message.Data, spaced: true);
            pos += Copy(span[pos..], "        0    0 "u8);
            var flags = FdFlagFdf | (message.BitrateSwitch ? FdFlagBrs : 0) | (message.ErrorStateIndicator ? FdFlagEsi : 0);
            Span<byte> flagText = stackalloc byte[8];
            pos += AsciiText.WritePadLeft(span[pos..], flagText[..AsciiText.WriteHex(flagText, (uint)flags, 1)], 8);
            pos += Copy(span[pos..], "        0        0        0        0        0\n"u8);
        }
        else
        {
            // {channel}  {id:<15} {dir:<4} {d|r} {dlc:x} {data}
            pos += AsciiText.WriteDecimal(span[pos..], channel);
            span[pos++] = (byte)' ';
            span[pos++] = (byte)' ';
            pos += AsciiText.WritePadRight(span[pos..], id[..idLength], 15);
            span[pos++] = (byte)' ';
            pos += AsciiText.WritePadRight(span[pos..], direction, 4);
            span[pos++] = (byte)' ';
            span[pos++] = message.IsRemoteFrame ? (byte)'r' : (byte)'d';
            span[pos++] = (byte)' ';
            span[pos++] = (byte)char.ToLowerInvariant((char)AsciiText.UpperHexDigits[message.Dlc & 0xF]);
            span[pos++] = (byte)' ';
            if (!message.IsRemoteFrame)
            {
                pos += AsciiText.WriteHexBytes(span[pos..], message.Data, spaced: true);
            }

            span[pos++] = (byte)'\n';
        }

        Output.Advance(pos);
    }

    private protected override void WriteTrailer() => Output.Write("End TriggerBlock\n"u8);

    private protected override void WriteHeader(long startMilliseconds)
    {
        var date = AscDate.Format(WallClock.FromUnixMilliseconds(startMilliseconds, TimeZone));
        var header = new StringBuilder(256)
            .Append("date ").Append(date).Append('\n')
            .Append(_timestampFormat == AscTimestampFormat.Relative ? "base hex  timestamps relative\n" : "base hex  timestamps absolute\n")
            .Append("internal events logged\n")
            .Append("Begin Triggerblock ").Append(date).Append('\n');
        Output.Write(header.ToString());
        var span = Output.GetSpan(64);
        var pos = WriteTime(span, Start);
        pos += Copy(span[pos..], "Start of measurement\n"u8);
        Output.Advance(pos);
    }

    // " {time:.6f} ": python-can's "{timestamp: 9.6f} " for times below 10 000 s, a space-led %f beyond.
    private int WriteTime(Span<byte> span, double timestamp)
    {
        var offset = Math.Max(0.0, timestamp - Start);
        double written;
        if (_timestampFormat == AscTimestampFormat.Relative)
        {
            written = Math.Max(0.0, offset - _previousOffset);
            _previousOffset = offset;
        }
        else
        {
            written = offset;
        }

        var pos = 0;
        span[pos++] = (byte)' ';
        pos += AsciiText.WriteFixed(span[pos..], written, 6);
        span[pos++] = (byte)' ';
        return pos;
    }
}
