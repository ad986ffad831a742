using System.Globalization;
using System.Text;
using CanUdpMulticast.IO;

namespace CanUdpMulticast.Cli.Output;

/// <summary>
/// Prints frames as candump (can-utils) does, or as python-can's <c>Printer</c>. Stateful like candump: the
/// interface-name column is as wide as the longest name seen, standard ids are indented once an extended id has
/// been seen, and <c>-t d</c>/<c>-t z</c> remember the previous/first timestamp. Not thread-safe.
/// </summary>
internal sealed class FramePrinter
{
    private const string Hex = "0123456789ABCDEF";
    private readonly Dictionary<string, string> _channelColors = new(StringComparer.Ordinal);
    private readonly StringBuilder _frame = new(256);
    private int _nameWidth;
    private bool _indentStandardIds;
    private long? _firstMicros;
    private long? _previousMicros;

    public FramePrinter(DumpFormat format = DumpFormat.Candump, TimestampMode timestamps = TimestampMode.None, bool ascii = false, bool color = false, string fallbackChannel = ChannelLabel.DefaultFallback)
    {
        Format = format;
        Timestamps = timestamps;
        Ascii = ascii;
        Color = color;
        FallbackChannel = fallbackChannel;
    }

    public DumpFormat Format { get; }

    public TimestampMode Timestamps { get; }

    public bool Ascii { get; }

    public bool Color { get; }

    public string FallbackChannel { get; }

    /// <summary>Formats one frame as a line (without the line break).</summary>
    /// <param name="message">The frame.</param>
    /// <returns>The line.</returns>
    public string FormatLine(in CanMessage message)
    {
        var sb = new StringBuilder(128);
        AppendLine(sb, message);
        return sb.ToString(0, sb.Length - 1);
    }

    /// <summary>Appends one frame as a line, with a trailing <c>\n</c>.</summary>
    /// <param name="sb">The target.</param>
    /// <param name="message">The frame.</param>
    public void AppendLine(StringBuilder sb, in CanMessage message)
    {
        ArgumentNullException.ThrowIfNull(sb);
        switch (Format)
        {
            case DumpFormat.Python:
                sb.Append(message.ToString()).Append('\n');
                return;
            case DumpFormat.Log:
                AppendLogLine(sb, message);
                return;
            default:
                AppendCandumpLine(sb, message);
                return;
        }
    }

    private void AppendLogLine(StringBuilder sb, in CanMessage message)
    {
        var name = ChannelLabel.For(message.Channel, FallbackChannel);
        _nameWidth = Math.Max(_nameWidth, name.Length);
        sb.Append('(');
        CandumpTime.Append(sb, CandumpTime.ToMicroseconds(message.Timestamp), 10);
        sb.Append(") ").Append(' ', _nameWidth - name.Length).Append(name).Append(' ');
        Span<char> text = stackalloc char[CanFrameText.MaxFormattedLength];
        sb.Append(text[..CanFrameText.Format(message, text)]).Append('\n');
    }

    private void AppendCandumpLine(StringBuilder sb, in CanMessage message)
    {
        // candump: " " [timestamp "(...) "] " " name(right-aligned) "  " long-frame
        sb.Append(' ');
        var micros = CandumpTime.ToMicroseconds(message.Timestamp);
        if (Timestamps != TimestampMode.None)
        {
            if (Color)
            {
                sb.Append(AnsiColors.Dim);
            }

            sb.Append('(');
            switch (Timestamps)
            {
                case TimestampMode.Absolute:
                    CandumpTime.Append(sb, micros, 10);
                    break;
                case TimestampMode.AbsoluteDate:
                    CandumpTime.AppendDate(sb, micros);
                    break;
                case TimestampMode.Delta:
                    CandumpTime.Append(sb, micros - (_previousMicros ?? micros), 3);
                    break;
                case TimestampMode.Zero:
                    _firstMicros ??= micros;
                    CandumpTime.Append(sb, micros - _firstMicros.Value, 3);
                    break;
            }

            sb.Append(") ");
            if (Color)
            {
                sb.Append(AnsiColors.Reset);
            }
        }

        _previousMicros = micros;
        sb.Append(' ');
        var name = ChannelLabel.For(message.Channel, FallbackChannel);
        _nameWidth = Math.Max(_nameWidth, name.Length);
        sb.Append(' ', _nameWidth - name.Length);
        if (Color)
        {
            sb.Append(ChannelColor(name)).Append(name).Append(AnsiColors.Reset);
        }
        else
        {
            sb.Append(name);
        }

        sb.Append("  ");

        // "once we detected a EFF frame indent SFF frames accordingly" (candump.c)
        if (message.IsExtendedId || message.IsErrorFrame)
        {
            _indentStandardIds = true;
        }

        _frame.Clear();
        AppendLongFrame(_frame, message, _indentStandardIds, Ascii);
        if (Color && message.IsErrorFrame)
        {
            sb.Append(AnsiColors.Red).Append(_frame).Append(AnsiColors.Reset);
        }
        else
        {
            sb.Append(_frame);
        }

        sb.Append('\n');
    }

    private string ChannelColor(string name)
    {
        if (!_channelColors.TryGetValue(name, out var color))
        {
            color = AnsiColors.Channels[_channelColors.Count % AnsiColors.Channels.Length];
            _channelColors[name] = color;
        }

        return color;
    }

    /// <summary>
    /// can-utils' <c>sprint_long_canframe</c>: the id (3 hex digits, indented to 8 when <paramref name="indentStandardId"/>,
    /// 8 for extended and error frames), <c>[n]</c> (classic) or <c>[nn]</c> (FD), the data bytes in hex, <c>remote request</c>
    /// for remote frames, <c>ERRORFRAME</c> for error frames, and with <paramref name="ascii"/> the printable bytes.
    /// </summary>
    /// <param name="sb">The target.</param>
    /// <param name="message">The frame.</param>
    /// <param name="indentStandardId">Indent standard ids to the width of extended ones (candump does after the first extended id).</param>
    /// <param name="ascii">Append the bytes as ASCII (candump <c>-a</c>).</param>
    public static void AppendLongFrame(StringBuilder sb, in CanMessage message, bool indentStandardId, bool ascii)
    {
        ArgumentNullException.ThrowIfNull(sb);
        var start = sb.Length;
        int offset;
        if (message.IsErrorFrame || message.IsExtendedId)
        {
            var id = message.IsErrorFrame ? (message.ArbitrationId & 0x1FFF_FFFF) | CanFrameText.ErrorFlag : message.ArbitrationId & 0x1FFF_FFFF;
            AppendHex(sb, id, 8);
            offset = 10;
        }
        else if (indentStandardId)
        {
            sb.Append(' ', 5);
            AppendHex(sb, message.ArbitrationId & 0x7FF, 3);
            offset = 10;
        }
        else
        {
            AppendHex(sb, message.ArbitrationId & 0x7FF, 3);
            offset = 5;
        }

        // Pad to the length field; the text before it is always shorter than offset.
        var data = message.Data;
        var len = message.IsRemoteFrame ? message.Dlc : data.Length;
        if (!message.IsFd)
        {
            PadTo(sb, start + offset + 1);
            sb.Append('[').Append((char)('0' + Math.Min(len, 9))).Append(']');
            if (message.IsRemoteFrame)
            {
                sb.Append("  remote request");
                return;
            }
        }
        else
        {
            PadTo(sb, start + offset);
            sb.Append('[').Append(len.ToString("D2", CultureInfo.InvariantCulture)).Append(']');
        }

        PadTo(sb, start + offset + 5);
        foreach (var b in data)
        {
            sb.Append(' ').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
        }

        if (data.Length > CanDlc.MaxClassicLength)
        {
            return;
        }

        const int ByteWidth = 3;
        if (message.IsErrorFrame)
        {
            sb.Append(' ', (ByteWidth * (8 - data.Length)) + 13 - "ERRORFRAME".Length).Append("ERRORFRAME");
        }
        else if (ascii)
        {
            sb.Append(' ', (ByteWidth * (8 - data.Length)) + 3).Append('\'');
            foreach (var b in data)
            {
                sb.Append(b is > 0x1F and < 0x7F ? (char)b : '.');
            }

            sb.Append('\'');
        }
    }

    private static void PadTo(StringBuilder sb, int length)
    {
        if (sb.Length < length)
        {
            sb.Append(' ', length - sb.Length);
        }
    }

    private static void AppendHex(StringBuilder sb, uint value, int digits)
    {
        for (var shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        {
            sb.Append(Hex[(int)((value >> shift) & 0xF)]);
        }
    }
}
