using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Canutils;

/// <summary>Parses <c>(timestamp) channel frame [R|T]</c> lines.</summary>
internal sealed class CanutilsLineParser : LineParser
{
    private readonly ChannelCache _channels = new();

    public override LineParseResult Parse(ReadOnlySpan<byte> line, long lineNumber, out CanMessage message, out string? error)
    {
        message = default;
        error = null;
        var tokens = new Tokenizer(line);
        if (!tokens.Next(out var time))
        {
            return LineParseResult.Skip;
        }

        if (!tokens.Next(out var channelToken) || !tokens.Next(out var frame))
        {
            error = $"expected '(timestamp) channel frame' as in '(1700000000.123456) can0 123#DEADBEEF', got '{AsciiText.Show(line)}'";
            return LineParseResult.Invalid;
        }

        var isRx = true;
        if (tokens.Next(out var direction))
        {
            if (direction.Length != 1 || AsciiText.ToLower(direction[0]) is not ((byte)'r' or (byte)'t') || !tokens.Rest.IsEmpty)
            {
                error = $"after the frame only the direction R or T may follow, got '{AsciiText.Show(line)}'";
                return LineParseResult.Invalid;
            }

            isRx = AsciiText.ToLower(direction[0]) == (byte)'r';
        }

        if (time.Length < 3 || time[0] != (byte)'(' || time[^1] != (byte)')' || !AsciiText.TryParseDouble(time[1..^1], out var timestamp))
        {
            error = $"the timestamp '{AsciiText.Show(time)}' must be seconds in parentheses, e.g. (1700000000.123456)";
            return LineParseResult.Invalid;
        }

        Span<char> chars = stackalloc char[frame.Length];
        if (!AsciiText.TryWiden(frame, chars))
        {
            error = $"the frame '{AsciiText.Show(frame)}' holds characters that are not ASCII";
            return LineParseResult.Invalid;
        }

        if (!CanFrameText.TryParse(chars, out var parsed, out var frameError))
        {
            error = frameError;
            return LineParseResult.Invalid;
        }

        message = parsed with { Timestamp = timestamp, Channel = _channels.Get(channelToken, digitsAreNumbers: true), IsRx = isRx };
        return LineParseResult.Message;
    }
}
