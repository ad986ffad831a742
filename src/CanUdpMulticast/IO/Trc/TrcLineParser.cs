using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Trc;

/// <summary>
/// Parses PEAK TRC files of versions 1.0, 1.1, 1.2, 1.3, 2.0 and 2.1: the <c>;$</c> header keys, then one message per
/// line in the version's column layout (2.x: the layout of <c>$COLUMNS</c>).
/// </summary>
internal sealed class TrcLineParser : LineParser
{
    private const int MaxTokens = 96;

    private readonly bool _ignoreStartTime;
    private readonly TimeZoneInfo _timeZone;
    private int _version;
    private double _start;
    private bool _dataStarted;

    // 2.x column positions (-1: absent).
    private int _colOffset = -1;
    private int _colType = -1;
    private int _colBus = -1;
    private int _colId = -1;
    private int _colDirection = -1;
    private int _colLength = -1;
    private bool _lengthIsDlc;
    private int _colData = -1;

    public TrcLineParser(CanLogReaderOptions options)
    {
        _ignoreStartTime = options.RelativeTimestamps;
        _timeZone = options.TimeZone ?? TimeZoneInfo.Local;
    }

    /// <summary>The file version (e.g. 2.1), known once the first message line was read; 1.0 when the file does not say.</summary>
    public Version? FileVersion { get; private set; }

    public override LineParseResult Parse(ReadOnlySpan<byte> line, long lineNumber, out CanMessage message, out string? error)
    {
        message = default;
        error = null;
        var text = AsciiText.Trim(line);
        if (text.IsEmpty)
        {
            return LineParseResult.Skip;
        }

        if (text[0] == (byte)';')
        {
            return _dataStarted ? LineParseResult.Skip : ParseHeader(text, out error);
        }

        if (!_dataStarted && !StartData(out error))
        {
            return LineParseResult.Invalid;
        }

        Span<Range> tokens = stackalloc Range[MaxTokens];
        var count = Split(text, tokens);
        if (count > MaxTokens)
        {
            error = $"the line has more than {MaxTokens} columns: '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        tokens = tokens[..count];
        return _version >= 200
            ? ParseVersion2(text, tokens, out message, out error)
            : ParseVersion1(text, tokens, out message, out error);
    }

    private LineParseResult ParseHeader(ReadOnlySpan<byte> text, out string? error)
    {
        error = null;
        if (AsciiText.StartsWithIgnoreCase(text, ";$fileversion="u8))
        {
            var value = AsciiText.Trim(text[";$FILEVERSION=".Length..]);
            _version = value.SequenceEqual("1.0"u8) ? 100
                : value.SequenceEqual("1.1"u8) ? 101
                : value.SequenceEqual("1.2"u8) ? 102
                : value.SequenceEqual("1.3"u8) ? 103
                : value.SequenceEqual("2.0"u8) ? 200
                : value.SequenceEqual("2.1"u8) ? 201
                : -1;
            if (_version < 0)
            {
                FatalError = error = $"TRC file version '{AsciiText.Show(value)}' is not supported (supported: 1.0, 1.1, 1.2, 1.3, 2.0, 2.1)";
                return LineParseResult.Invalid;
            }
        }
        else if (AsciiText.StartsWithIgnoreCase(text, ";$starttime="u8))
        {
            var value = AsciiText.Trim(text[";$STARTTIME=".Length..]);
            if (!TrcStartTime.TryParse(value, _timeZone, out var start))
            {
                FatalError = error = $"the start time '{AsciiText.Show(value)}' is not a number of days since 1899-12-30";
                return LineParseResult.Invalid;
            }

            if (!_ignoreStartTime)
            {
                _start = start;
            }
        }
        else if (AsciiText.StartsWithIgnoreCase(text, ";$columns="u8))
        {
            return ParseColumns(text, AsciiText.Trim(text[";$COLUMNS=".Length..]), out error);
        }

        return LineParseResult.Skip;
    }

    private LineParseResult ParseColumns(ReadOnlySpan<byte> line, ReadOnlySpan<byte> columns, out string? error)
    {
        error = null;
        var index = 0;
        _colOffset = _colType = _colBus = _colId = _colDirection = _colLength = _colData = -1;
        foreach (var range in columns.Split((byte)','))
        {
            var name = AsciiText.Trim(columns[range]);
            if (name.Length != 1)
            {
                FatalError = error = $"the columns '{AsciiText.Show(line)}' must be single letters separated by commas";
                return LineParseResult.Invalid;
            }

            switch ((char)name[0])
            {
                case 'O': _colOffset = index; break;
                case 'T': _colType = index; break;
                case 'B': _colBus = index; break;
                case 'I': _colId = index; break;
                case 'd': _colDirection = index; break;
                case 'l': _colLength = index; _lengthIsDlc = false; break;
                case 'L': _colLength = index; _lengthIsDlc = true; break;
                case 'D': _colData = index; break;
                default: break;
            }

            index++;
        }

        if (_colOffset < 0 || _colType < 0 || _colId < 0 || _colDirection < 0 || _colLength < 0 || _colData != index - 1)
        {
            FatalError = error = $"the columns '{AsciiText.Show(line)}' must include O, T, I, d, l or L, and end with D";
            return LineParseResult.Invalid;
        }

        return LineParseResult.Skip;
    }

    private bool StartData(out string? error)
    {
        error = null;
        _dataStarted = true;
        if (_version == 0)
        {
            _version = 100;
        }

        FileVersion = new Version(_version / 100, _version % 100);
        if (_version >= 200 && _colType < 0)
        {
            // Files without $COLUMNS: the layout the version defines.
            var columns = _version == 200 ? ";$COLUMNS=N,O,T,I,d,l,D"u8 : ";$COLUMNS=N,O,T,B,I,d,R,L,D"u8;
            if (ParseColumns(columns, columns[";$COLUMNS=".Length..], out error) != LineParseResult.Skip)
            {
                return false;
            }
        }

        return true;
    }

    private LineParseResult ParseVersion1(ReadOnlySpan<byte> text, ReadOnlySpan<Range> tokens, out CanMessage message, out string? error)
    {
        message = default;
        error = null;

        // 1.0: N) O I L D   1.1: N) O T I L D   1.2: N) O B T I L D   1.3: N) O B T I - L D
        var hasType = _version >= 101;
        var hasBus = _version >= 102;
        var hasReserved = _version >= 103;
        var fixedColumns = 4 + (hasType ? 1 : 0) + (hasBus ? 1 : 0) + (hasReserved ? 1 : 0);
        if (tokens.Length < fixedColumns || text[tokens[0]] is not [.., (byte)')'])
        {
            error = $"expected a TRC {FileVersion} message line like '1) 1059.9 {(hasBus ? "1 " : string.Empty)}{(hasType ? "Rx " : string.Empty)}0300 {(hasReserved ? "- " : string.Empty)}2 00 00', got '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        var column = 1;
        var offsetToken = text[tokens[column++]];
        var channel = CanChannel.None;
        if (hasBus)
        {
            if (!TryBus(text[tokens[column++]], out channel))
            {
                error = $"the bus '{AsciiText.Show(text[tokens[column - 1]])}' is not a number";
                return LineParseResult.Invalid;
            }
        }

        var isRx = true;
        var isError = false;
        if (hasType)
        {
            var type = text[tokens[column++]];
            if (type.SequenceEqual("Warng"u8))
            {
                return LineParseResult.Skip;
            }

            isError = type.SequenceEqual("Error"u8);
            if (!isError && !type.SequenceEqual("Rx"u8) && !type.SequenceEqual("Tx"u8))
            {
                error = $"the message type '{AsciiText.Show(type)}' is not Rx, Tx, Error or Warng";
                return LineParseResult.Invalid;
            }

            isRx = !type.SequenceEqual("Tx"u8);
        }

        var idToken = text[tokens[column++]];
        if (idToken.SequenceEqual("FFFFFFFF"u8))
        {
            // A bus status line (1.0 has no type column for it).
            return LineParseResult.Skip;
        }

        if (hasReserved)
        {
            column++;
        }

        var lengthToken = text[tokens[column++]];
        if (!TryOffset(offsetToken, out var offset) || !TryId(idToken, out var id, out var extended)
            || !AsciiText.TryParseDecimal(lengthToken, out var length) || length > CanDlc.MaxClassicLength)
        {
            error = $"expected a time offset in ms, a hex id and a length 0..8 in '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        var rest = tokens[column..];
        if (!rest.IsEmpty && text[rest[0]].SequenceEqual("RTR"u8))
        {
            message = new CanMessage { ArbitrationId = id, IsExtendedId = extended, IsRemoteFrame = true, Dlc = length, IsRx = isRx, Channel = channel, Timestamp = _start + offset };
            return LineParseResult.Message;
        }

        if (!rest.IsEmpty && text[rest[0]].SequenceEqual("ERROR"u8))
        {
            isError = true;
            rest = rest[1..];
        }

        Span<byte> data = stackalloc byte[CanDlc.MaxClassicLength];
        if (!TryData(text, rest, data[..length], out error))
        {
            return LineParseResult.Invalid;
        }

        message = new CanMessage(id, data[..length], extended) { IsErrorFrame = isError, IsRx = isRx, Channel = channel, Timestamp = _start + offset };
        return LineParseResult.Message;
    }

    private LineParseResult ParseVersion2(ReadOnlySpan<byte> text, ReadOnlySpan<Range> tokens, out CanMessage message, out string? error)
    {
        message = default;
        error = null;
        if (tokens.Length <= Math.Max(_colType, _colOffset))
        {
            error = $"expected a TRC {FileVersion} message line, got '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        var type = text[tokens[_colType]];
        if (!TryOffset(text[tokens[_colOffset]], out var offset))
        {
            error = $"the time offset '{AsciiText.Show(text[tokens[_colOffset]])}' is not a number of milliseconds";
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
            case ('E', 'R'): return ParseErrorFrame(text, tokens, offset, out message, out error);
            case ('S', 'T'):
            case ('E', 'C'):
            case ('E', 'V'):
                // Hardware status, error counter changes and user events are not frames.
                return LineParseResult.Skip;
            default:
                error = $"the message type '{AsciiText.Show(type)}' is not one of DT, FD, FB, FE, BI, RR, ER, ST, EC, EV";
                return LineParseResult.Invalid;
        }

        if (tokens.Length < _colData)
        {
            error = $"the line has fewer columns than $COLUMNS names: '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        var channel = CanChannel.None;
        if (_colBus >= 0 && !TryBus(text[tokens[_colBus]], out channel))
        {
            error = $"the bus '{AsciiText.Show(text[tokens[_colBus]])}' is not a number";
            return LineParseResult.Invalid;
        }

        var direction = text[tokens[_colDirection]];
        if (!TryId(text[tokens[_colId]], out var id, out var extended) || !(direction.SequenceEqual("Rx"u8) || direction.SequenceEqual("Tx"u8))
            || !AsciiText.TryParseDecimal(text[tokens[_colLength]], out var lengthValue))
        {
            error = $"expected a hex id, Rx or Tx, and a length in '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        var isRx = direction.SequenceEqual("Rx"u8);
        var dataTokens = tokens[_colData..];
        if (remote)
        {
            if (lengthValue > CanDlc.MaxClassicLength)
            {
                error = $"a remote frame requests 0..8 bytes, not {lengthValue}";
                return LineParseResult.Invalid;
            }

            message = new CanMessage { ArbitrationId = id, IsExtendedId = extended, IsRemoteFrame = true, Dlc = lengthValue, IsRx = isRx, Channel = channel, Timestamp = _start + offset };
            return LineParseResult.Message;
        }

        // L is a DLC code (9..15 mean 12..64 bytes); some writers put the byte count there instead, which the
        // number of data columns tells apart.
        var length = lengthValue;
        if (_lengthIsDlc && lengthValue is > 8 and <= 15 && dataTokens.Length != lengthValue)
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
            Timestamp = _start + offset,
        };
        return LineParseResult.Message;
    }

    // ER lines carry no id; 2.0 leaves out the id and length columns, 2.1 writes '-' for the id.
    private LineParseResult ParseErrorFrame(ReadOnlySpan<byte> text, ReadOnlySpan<Range> tokens, double offset, out CanMessage message, out string? error)
    {
        message = default;
        error = null;
        var channel = CanChannel.None;
        if (_colBus >= 0 && _colBus < tokens.Length && !TryBus(text[tokens[_colBus]], out channel))
        {
            error = $"the bus '{AsciiText.Show(text[tokens[_colBus]])}' is not a number";
            return LineParseResult.Invalid;
        }

        var next = Math.Max(_colType, _colBus) + 1;
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
        if (directionIndex == _colDirection && _colData <= tokens.Length)
        {
            rest = tokens[_colData..];
            if (!AsciiText.TryParseDecimal(text[tokens[_colLength]], out var announced) || announced != rest.Length)
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
            Timestamp = _start + offset,
        };
        return LineParseResult.Message;
    }

    private static bool TryData(ReadOnlySpan<byte> text, ReadOnlySpan<Range> tokens, Span<byte> data, out string? error)
    {
        error = null;
        if (tokens.Length < data.Length)
        {
            error = $"the line announces {data.Length} data bytes but has {tokens.Length}: '{AsciiText.Show(text)}'";
            return false;
        }

        for (var i = 0; i < data.Length; i++)
        {
            var token = text[tokens[i]];
            if (token.Length != 2 || !AsciiText.TryParseHex(token, out var value))
            {
                error = $"the data byte '{AsciiText.Show(token)}' is not two hex digits: '{AsciiText.Show(text)}'";
                return false;
            }

            data[i] = (byte)value;
        }

        return true;
    }

    private static bool TryOffset(ReadOnlySpan<byte> token, out double seconds)
    {
        seconds = 0;
        if (!AsciiText.TryParseDouble(token, out var milliseconds) || milliseconds < 0)
        {
            return false;
        }

        seconds = milliseconds / 1000.0;
        return true;
    }

    private static bool TryId(ReadOnlySpan<byte> token, out uint id, out bool extended)
    {
        // PEAK writes 4 digits for standard and 8 for extended ids; python-can decides by "more than 4".
        extended = token.Length > 4;
        return AsciiText.TryParseHex(token, out id) && id <= (extended ? 0x1FFF_FFFFu : 0x7FFu);
    }

    // TRC numbers buses from 1; frames get the number minus one, as in ASC.
    private static bool TryBus(ReadOnlySpan<byte> token, out CanChannel channel)
    {
        channel = CanChannel.None;
        if (token.SequenceEqual("-"u8))
        {
            return true;
        }

        if (!AsciiText.TryParseDecimal(token, out var bus))
        {
            return false;
        }

        channel = bus - 1L;
        return true;
    }

    private static int Split(ReadOnlySpan<byte> text, Span<Range> tokens)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] is (byte)' ' or (byte)'\t')
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            var start = i;
            while (i < text.Length && text[i] is not ((byte)' ' or (byte)'\t'))
            {
                i++;
            }

            if (count == tokens.Length)
            {
                return count + 1;
            }

            tokens[count++] = new Range(start, i);
        }

        return count;
    }
}
