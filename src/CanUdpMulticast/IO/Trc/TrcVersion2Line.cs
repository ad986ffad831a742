using CanUdpMulticast.IO.Text;
using static CanUdpMulticast.IO.Trc.TrcFields;

namespace CanUdpMulticast.IO.Trc;

/// <summary>
/// A message line of TRC 2.0/2.1 in the column layout of <see cref="TrcColumns"/>: data (<c>DT</c>), remote
/// (<c>RR</c>), CAN FD (<c>FD</c>, <c>FB</c>, <c>FE</c>, <c>BI</c>) and error (<c>ER</c>) frames; status, error
/// counter and event lines are skipped.
/// </summary>
internal static class TrcVersion2Line
{
    public static LineParseResult Parse(ReadOnlySpan<byte> text, ReadOnlySpan<Range> tokens, TrcColumns columns, Version fileVersion, double start, out CanMessage message, out string? error)
    {
        message = default;
        error = null;
        if (tokens.Length <= Math.Max(columns.Type, columns.Offset))
        {
            error = $"expected a TRC {fileVersion} message line, got '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        var type = text[tokens[columns.Type]];
        if (!TryOffset(text[tokens[columns.Offset]], out var offset))
        {
            error = $"the time offset '{AsciiText.Show(text[tokens[columns.Offset]])}' is not a number of milliseconds";
            return LineParseResult.Invalid;
        }

        bool fd = false, brs = false, esi = false, remote = false;
        switch ((char)(type.Length == 2 ? type[0] : 0), (char)(type.Length == 2 ? type[1] : 0))
        {
            case ('D', 'T'): break;
            case ('F', 'D'): fd = true; break;
            case ('F', 'B'): fd = brs = true; break;
            case ('F', 'E'): fd = esi = true; break;
            case ('B', 'I'): fd = brs = esi = true; break;
            case ('R', 'R'): remote = true; break;
            case ('E', 'R'): return ParseErrorFrame(text, tokens, columns, start, offset, out message, out error);
            case ('S', 'T'):
            case ('E', 'C'):
            case ('E', 'V'):
                // Hardware status, error counter changes and user events are not frames.
                return LineParseResult.Skip;
            default:
                error = $"the message type '{AsciiText.Show(type)}' is not one of DT, FD, FB, FE, BI, RR, ER, ST, EC, EV";
                return LineParseResult.Invalid;
        }

        if (tokens.Length < columns.Data)
        {
            error = $"the line has fewer columns than $COLUMNS names: '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        var channel = CanChannel.None;
        if (columns.Bus >= 0 && !TryBus(text[tokens[columns.Bus]], out channel))
        {
            error = $"the bus '{AsciiText.Show(text[tokens[columns.Bus]])}' is not a number";
            return LineParseResult.Invalid;
        }

        var direction = text[tokens[columns.Direction]];
        if (!TryId(text[tokens[columns.Id]], out var id, out var extended) || !(direction.SequenceEqual("Rx"u8) || direction.SequenceEqual("Tx"u8))
            || !AsciiText.TryParseDecimal(text[tokens[columns.Length]], out var lengthValue))
        {
            error = $"expected a hex id, Rx or Tx, and a length in '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        var isRx = direction.SequenceEqual("Rx"u8);
        var dataTokens = tokens[columns.Data..];
        if (remote)
        {
            if (lengthValue > CanDlc.MaxClassicLength)
            {
                error = $"a remote frame requests 0..8 bytes, not {lengthValue}";
                return LineParseResult.Invalid;
            }

            message = new CanMessage { ArbitrationId = id, IsExtendedId = extended, IsRemoteFrame = true, Dlc = lengthValue, IsRx = isRx, Channel = channel, Timestamp = start + offset };
            return LineParseResult.Message;
        }

        // L is a DLC code (9..15 mean 12..64 bytes); some writers put the byte count there instead, which the
        // number of data columns tells apart.
        var length = lengthValue;
        if (columns.LengthIsDlc && lengthValue is > 8 and <= 15 && dataTokens.Length != lengthValue)
        {
            length = CanDlc.ToLength(lengthValue);
        }

        if (length > (fd ? CanDlc.MaxFdLength : CanDlc.MaxClassicLength))
        {
            error = $"the length {lengthValue} is too large for a {(fd ? "CAN FD" : "classic CAN")} frame";
            return LineParseResult.Invalid;
        }

        Span<byte> data = stackalloc byte[CanDlc.MaxFdLength];
        if (!TryData(text, dataTokens, data[..length], out error))
        {
            return LineParseResult.Invalid;
        }

        message = new CanMessage(id, data[..length], extended)
        {
            IsFd = fd,
            BitrateSwitch = brs,
            ErrorStateIndicator = esi,
            IsRx = isRx,
            Channel = channel,
            Timestamp = start + offset,
        };
        return LineParseResult.Message;
    }

    // ER lines carry no id; 2.0 leaves out the id and length columns, 2.1 writes '-' for the id.
    private static LineParseResult ParseErrorFrame(ReadOnlySpan<byte> text, ReadOnlySpan<Range> tokens, TrcColumns columns, double start, double offset, out CanMessage message, out string? error)
    {
        message = default;
        error = null;
        var channel = CanChannel.None;
        if (columns.Bus >= 0 && columns.Bus < tokens.Length && !TryBus(text[tokens[columns.Bus]], out channel))
        {
            error = $"the bus '{AsciiText.Show(text[tokens[columns.Bus]])}' is not a number";
            return LineParseResult.Invalid;
        }

        var next = Math.Max(columns.Type, columns.Bus) + 1;
        var directionIndex = -1;
        for (var i = next; i < tokens.Length; i++)
        {
            var token = text[tokens[i]];
            if (token.SequenceEqual("Rx"u8) || token.SequenceEqual("Tx"u8))
            {
                directionIndex = i;
                break;
            }
        }

        if (directionIndex < 0)
        {
            error = $"an error frame line needs Rx or Tx: '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        // A line with every column has the direction in its place and a length; a shortened one (2.0) has neither.
        ReadOnlySpan<Range> rest;
        if (directionIndex == columns.Direction && columns.Data <= tokens.Length)
        {
            rest = tokens[columns.Data..];
            if (!AsciiText.TryParseDecimal(text[tokens[columns.Length]], out var announced) || announced != rest.Length)
            {
                error = $"an error frame line announces a length that its data bytes do not have: '{AsciiText.Show(text)}'";
                return LineParseResult.Invalid;
            }
        }
        else
        {
            rest = tokens[(directionIndex + 1)..];
        }

        if (rest.Length > CanDlc.MaxClassicLength)
        {
            error = $"an error frame carries at most 8 bytes: '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        Span<byte> data = stackalloc byte[CanDlc.MaxClassicLength];
        if (!TryData(text, rest, data[..rest.Length], out error))
        {
            return LineParseResult.Invalid;
        }

        message = new CanMessage(0, data[..rest.Length])
        {
            IsErrorFrame = true,
            IsRx = text[tokens[directionIndex]].SequenceEqual("Rx"u8),
            Channel = channel,
            Timestamp = start + offset,
        };
        return LineParseResult.Message;
    }
}
