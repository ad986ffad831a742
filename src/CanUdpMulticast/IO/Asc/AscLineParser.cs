using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Asc;

/// <summary>
/// Parses Vector ASC lines: the header (<c>date</c>, <c>base</c>, <c>internal events logged</c>), trigger blocks,
/// classic CAN lines (<c>0.001 1 123x Rx d 2 01 02</c>, <c>r</c> for remote, <c>ErrorFrame</c>) and
/// <c>CANFD</c> lines. Every other event (comments, statistics, status, J1939, ...) is skipped, as python-can does.
/// </summary>
internal sealed class AscLineParser : LineParser
{
    private const uint AscFlagRemote = 0x10;
    private const uint AscFlagFd = 0x1000;

    private readonly bool _ignoreStartTime;
    private readonly TimeZoneInfo _timeZone;
    private readonly ChannelCache _channels = new();
    private AscNumberBase _base;
    private bool _relativeTimes;
    private double _start;
    private double _previousOffset;
    private bool _sawContent;

    public AscLineParser(CanLogReaderOptions options)
    {
        _ignoreStartTime = options.RelativeTimestamps;
        _timeZone = options.TimeZone ?? TimeZoneInfo.Local;
        _base = options.AscBase;
    }

    public override LineParseResult Parse(ReadOnlySpan<byte> line, long lineNumber, out CanMessage message, out string? error)
    {
        message = default;
        error = null;
        var text = AsciiText.Trim(line);
        if (text.IsEmpty)
        {
            return LineParseResult.Skip;
        }

        var first = text[0];
        if (!_sawContent)
        {
            _sawContent = true;
            if (!IsHeaderStart(text))
            {
                FatalError = error = $"this is not an ASC file: it must start with a 'date' or 'base' header line, got '{AsciiText.Show(text)}'";
                return LineParseResult.Invalid;
            }
        }

        if (first is >= (byte)'0' and <= (byte)'9')
        {
            return ParseEvent(text, out message, out error);
        }

        if (AsciiText.StartsWithIgnoreCase(text, "date "u8) || AsciiText.StartsWithIgnoreCase(text, "date\t"u8))
        {
            return ParseStart(text, skipWords: 2, "date", out error);
        }

        if (AsciiText.StartsWithIgnoreCase(text, "base"u8))
        {
            return ParseBase(text, out error);
        }

        if (AsciiText.StartsWithIgnoreCase(text, "begin"u8))
        {
            var tokens = new Tokenizer(text);
            tokens.Next();
            if (AsciiText.EqualsIgnoreCase(tokens.Next(), "triggerblock"u8) && tokens.CountRemaining() > 1)
            {
                return ParseStart(text, skipWords: 3, "Begin Triggerblock", out error);
            }
        }

        // Comments, "internal events logged", "End TriggerBlock" and anything else that is not an event.
        return LineParseResult.Skip;
    }

    private static bool IsHeaderStart(ReadOnlySpan<byte> text) =>
        text[0] is >= (byte)'0' and <= (byte)'9'
        || AsciiText.StartsWithIgnoreCase(text, "date"u8)
        || AsciiText.StartsWithIgnoreCase(text, "base"u8)
        || AsciiText.StartsWithIgnoreCase(text, "//"u8)
        || AsciiText.StartsWithIgnoreCase(text, "internal events"u8)
        || AsciiText.StartsWithIgnoreCase(text, "no internal events"u8)
        || AsciiText.StartsWithIgnoreCase(text, "begin triggerblock"u8);

    private LineParseResult ParseBase(ReadOnlySpan<byte> text, out string? error)
    {
        error = null;
        var tokens = new Tokenizer(text);
        tokens.Next();
        var value = tokens.Next();
        if (AsciiText.EqualsIgnoreCase(value, "hex"u8))
        {
            _base = AscNumberBase.Hex;
        }
        else if (AsciiText.EqualsIgnoreCase(value, "dec"u8))
        {
            _base = AscNumberBase.Dec;
        }
        else
        {
            FatalError = error = $"the header line '{AsciiText.Show(text)}' must say 'base hex' or 'base dec'";
            return LineParseResult.Invalid;
        }

        if (tokens.Next(out var word))
        {
            var format = tokens.Next();
            if (!AsciiText.EqualsIgnoreCase(word, "timestamps"u8)
                || !(AsciiText.EqualsIgnoreCase(format, "absolute"u8) || AsciiText.EqualsIgnoreCase(format, "relative"u8)))
            {
                FatalError = error = $"the header line '{AsciiText.Show(text)}' must end in 'timestamps absolute' or 'timestamps relative'";
                return LineParseResult.Invalid;
            }

            _relativeTimes = AsciiText.EqualsIgnoreCase(format, "relative"u8);
        }

        return LineParseResult.Skip;
    }

    private LineParseResult ParseStart(ReadOnlySpan<byte> text, int skipWords, string what, out string? error)
    {
        error = null;
        var tokens = new Tokenizer(text);
        for (var i = 0; i < skipWords; i++)
        {
            tokens.Next();
        }

        if (_ignoreStartTime)
        {
            return LineParseResult.Skip;
        }

        if (!AscDate.TryParse(tokens.Rest, out var wallClock))
        {
            FatalError = error = $"the {what} line '{AsciiText.Show(text)}' holds no date like 'Tue Nov 14 10:13:20.123 PM 2023' "
                + "(read with CanLogReaderOptions.RelativeTimestamps to ignore it)";
            return LineParseResult.Invalid;
        }

        _start = WallClock.ToUnixSeconds(wallClock, _timeZone);
        _previousOffset = 0;
        return LineParseResult.Skip;
    }

    private LineParseResult ParseEvent(ReadOnlySpan<byte> text, out CanMessage message, out string? error)
    {
        message = default;
        error = null;
        var tokens = new Tokenizer(text);
        var timeToken = tokens.Next();
        var dot = timeToken.IndexOf((byte)'.');
        if (dot <= 0 || dot == timeToken.Length - 1 || !AsciiText.IsDigits(timeToken[..dot]) || !AsciiText.IsDigits(timeToken[(dot + 1)..]))
        {
            return LineParseResult.Skip;
        }

        var kind = tokens.Next();
        LineParseResult result;
        if (AsciiText.IsDigits(kind))
        {
            result = ParseClassic(text, kind, ref tokens, out message, out error);
        }
        else if (AsciiText.EqualsIgnoreCase(kind, "canfd"u8))
        {
            result = ParseFd(text, ref tokens, out message, out error);
        }
        else
        {
            return LineParseResult.Skip;
        }

        if (result != LineParseResult.Message)
        {
            return result;
        }

        if (!AsciiText.TryParseDouble(timeToken, out var time))
        {
            error = $"the time '{AsciiText.Show(timeToken)}' is not a number";
            return LineParseResult.Invalid;
        }

        double offset;
        if (_relativeTimes)
        {
            _previousOffset += time;
            offset = _previousOffset;
        }
        else
        {
            offset = time;
        }

        message = message with { Timestamp = _start + offset };
        return LineParseResult.Message;
    }

    private LineParseResult ParseClassic(ReadOnlySpan<byte> text, ReadOnlySpan<byte> channelToken, ref Tokenizer tokens, out CanMessage message, out string? error)
    {
        message = default;
        error = null;
        var channel = Channel(channelToken);
        var idToken = tokens.Next();
        if (AsciiText.StartsWithIgnoreCase(idToken, "errorframe"u8))
        {
            message = new CanMessage { IsErrorFrame = true, Channel = channel };
            return LineParseResult.Message;
        }

        var direction = tokens.Next();
        if (!IsWord(idToken) || !TryDirection(direction, out var isRx))
        {
            // Statistics, status and other events that share the "<time> <channel>" start.
            return LineParseResult.Skip;
        }

        if (!TryId(idToken, out var id, out var extended))
        {
            error = $"the id '{AsciiText.Show(idToken)}' is not a valid {(_base == AscNumberBase.Hex ? "hex" : "decimal")} CAN id (a trailing x marks an extended id)";
            return LineParseResult.Invalid;
        }

        var type = tokens.Next();
        if (type.Length == 1 && AsciiText.ToLower(type[0]) == (byte)'r')
        {
            var dlc = 0;
            if (tokens.Next(out var dlcToken) && AsciiText.IsDigits(dlcToken))
            {
                if (!AsciiText.TryParseInBase(dlcToken, _base, out var code) || code > 15)
                {
                    error = $"the remote frame's DLC '{AsciiText.Show(dlcToken)}' is not 0..F";
                    return LineParseResult.Invalid;
                }

                dlc = Math.Min((int)code, CanDlc.MaxClassicLength);
            }

            message = new CanMessage { ArbitrationId = id, IsExtendedId = extended, IsRemoteFrame = true, Dlc = dlc, IsRx = isRx, Channel = channel };
            return LineParseResult.Message;
        }

        if (type.Length != 1 || AsciiText.ToLower(type[0]) != (byte)'d')
        {
            error = $"expected 'd <dlc> <data>' or 'r [<dlc>]' after the direction in '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        if (!tokens.Next(out var lengthToken) || !AsciiText.TryParseInBase(lengthToken, _base, out var lengthCode) || lengthCode > 15)
        {
            error = $"the DLC in '{AsciiText.Show(text)}' is missing or not 0..F";
            return LineParseResult.Invalid;
        }

        // Classic CAN: DLC codes 9..15 still mean 8 bytes.
        var length = Math.Min(CanDlc.ToLength((int)lengthCode), CanDlc.MaxClassicLength);
        Span<byte> data = stackalloc byte[CanDlc.MaxClassicLength];
        if (!TryData(ref tokens, data[..length], out error))
        {
            error = $"{error} in '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        message = new CanMessage(id, data[..length], extended) { IsRx = isRx, Channel = channel };
        return LineParseResult.Message;
    }

    private LineParseResult ParseFd(ReadOnlySpan<byte> text, ref Tokenizer tokens, out CanMessage message, out string? error)
    {
        message = default;
        error = null;
        var channelToken = tokens.Next();
        var direction = tokens.Next();
        if (!AsciiText.IsDigits(channelToken) || !TryDirection(direction, out var isRx))
        {
            error = $"a CANFD line needs a channel number and Rx or Tx: '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        var channel = Channel(channelToken);
        var idToken = tokens.Next();
        if (AsciiText.StartsWithIgnoreCase(idToken, "errorframe"u8))
        {
            message = new CanMessage { IsErrorFrame = true, IsFd = true, IsRx = isRx, Channel = channel };
            return LineParseResult.Message;
        }

        if (!TryId(idToken, out var id, out var extended))
        {
            error = $"the id '{AsciiText.Show(idToken)}' is not a valid CAN id in '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        // An optional symbolic name sits between the id and the BRS digit (python-can tells them apart the same way).
        var brsToken = tokens.Next();
        if (!AsciiText.IsDigits(brsToken))
        {
            brsToken = tokens.Next();
        }

        var esiToken = tokens.Next();
        var dlcToken = tokens.Next();
        var lengthToken = tokens.Next();
        if (!IsBit(brsToken) || !IsBit(esiToken) || !AsciiText.TryParseInBase(dlcToken, _base, out var dlcCode) || dlcCode > 15
            || !AsciiText.TryParseDecimal(lengthToken, out var length) || length > CanDlc.MaxFdLength)
        {
            error = $"expected '<id> [name] <brs 0|1> <esi 0|1> <dlc 0..F> <data length 0..64> <data>' in '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        Span<byte> data = stackalloc byte[CanDlc.MaxFdLength];
        if (!TryData(ref tokens, data[..length], out error))
        {
            error = $"{error} in '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        // MessageDuration, MessageLength, then Flags: without the FDF flag the line holds a classic frame.
        var fd = true;
        var remote = false;
        if (tokens.Next(out _) && tokens.Next(out _) && tokens.Next(out var flagsToken) && AsciiText.TryParseHex(flagsToken, out var flags))
        {
            fd = (flags & AscFlagFd) != 0;
            remote = !fd && (flags & AscFlagRemote) != 0;
        }

        if (remote)
        {
            message = new CanMessage { ArbitrationId = id, IsExtendedId = extended, IsRemoteFrame = true, Dlc = Math.Min((int)dlcCode, CanDlc.MaxClassicLength), IsRx = isRx, Channel = channel };
            return LineParseResult.Message;
        }

        message = new CanMessage(id, data[..length], extended)
        {
            IsFd = fd,
            BitrateSwitch = fd && brsToken[0] == (byte)'1',
            ErrorStateIndicator = fd && esiToken[0] == (byte)'1',
            IsRx = isRx,
            Channel = channel,
        };
        return LineParseResult.Message;
    }

    private bool TryData(ref Tokenizer tokens, scoped Span<byte> data, out string? error)
    {
        error = null;
        for (var i = 0; i < data.Length; i++)
        {
            if (!tokens.Next(out var token))
            {
                error = $"the frame announces {data.Length} data bytes but has {i}";
                return false;
            }

            if (!AsciiText.TryParseInBase(token, _base, out var value) || value > 0xFF)
            {
                error = $"the data byte '{AsciiText.Show(token)}' is not a byte in {(_base == AscNumberBase.Hex ? "hex" : "decimal")}";
                return false;
            }

            data[i] = (byte)value;
        }

        return true;
    }

    private bool TryId(ReadOnlySpan<byte> token, out uint id, out bool extended)
    {
        extended = token.Length > 1 && AsciiText.ToLower(token[^1]) == (byte)'x';
        if (extended)
        {
            token = token[..^1];
        }

        return AsciiText.TryParseInBase(token, _base, out id) && id <= (extended ? 0x1FFF_FFFFu : 0x7FFu);
    }

    // ASC numbers channels from 1; python-can's frames (and ours) from 0.
    private CanChannel Channel(ReadOnlySpan<byte> token)
    {
        var channel = _channels.Get(token, digitsAreNumbers: true);
        return channel.IsNumber ? channel.Number - 1 : channel;
    }

    private static bool TryDirection(ReadOnlySpan<byte> token, out bool isRx)
    {
        isRx = AsciiText.EqualsIgnoreCase(token, "rx"u8);
        return isRx || AsciiText.EqualsIgnoreCase(token, "tx"u8);
    }

    private static bool IsBit(ReadOnlySpan<byte> token) => token.Length == 1 && token[0] is (byte)'0' or (byte)'1';

    private static bool IsWord(ReadOnlySpan<byte> token)
    {
        foreach (var b in token)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b == (byte)'_'))
            {
                return false;
            }
        }

        return !token.IsEmpty;
    }
}
