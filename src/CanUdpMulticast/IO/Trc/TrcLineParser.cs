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

    // 2.x: the column layout ($COLUMNS or the version's).
    private TrcColumns? _columns;

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
        var count = Tokenizer.Split(text, tokens);
        if (count > MaxTokens)
        {
            error = $"the line has more than {MaxTokens} columns: '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        tokens = tokens[..count];
        return _version >= 200
            ? TrcVersion2Line.Parse(text, tokens, _columns!, FileVersion!, _start, out message, out error)
            : TrcVersion1Line.Parse(text, tokens, _version, _start, out message, out error);
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
        _columns = TrcColumns.Parse(columns, out var problem);
        if (_columns is null)
        {
            FatalError = error = $"the columns '{AsciiText.Show(line)}' {problem}";
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
        if (_version >= 200 && _columns is null)
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
}
