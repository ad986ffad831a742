using CanUdpMulticast.IO.Text;
using static CanUdpMulticast.IO.Trc.TrcFields;

namespace CanUdpMulticast.IO.Trc;

/// <summary>
/// A message line of TRC 1.x: <c>N) O I L D</c> (1.0), <c>N) O T I L D</c> (1.1), <c>N) O B T I L D</c> (1.2),
/// <c>N) O B T I - L D</c> (1.3): data, <c>RTR</c> remote and <c>ERROR</c>/<c>Error</c> frames; <c>Warng</c> and
/// bus status (id <c>FFFFFFFF</c>) lines are skipped.
/// </summary>
internal static class TrcVersion1Line
{
    public static LineParseResult Parse(ReadOnlySpan<byte> text, ReadOnlySpan<Range> tokens, int version, double start, out CanMessage message, out string? error)
    {
        message = default;
        error = null;

        // 1.0: N) O I L D   1.1: N) O T I L D   1.2: N) O B T I L D   1.3: N) O B T I - L D
        var hasType = version >= 101;
        var hasBus = version >= 102;
        var hasReserved = version >= 103;
        var fixedColumns = 4 + (hasType ? 1 : 0) + (hasBus ? 1 : 0) + (hasReserved ? 1 : 0);
        if (tokens.Length < fixedColumns || text[tokens[0]] is not [.., (byte)')'])
        {
            error = $"expected a TRC {version / 100}.{version % 100} message line like '1) 1059.9 {(hasBus ? "1 " : string.Empty)}{(hasType ? "Rx " : string.Empty)}0300 {(hasReserved ? "- " : string.Empty)}2 00 00', got '{AsciiText.Show(text)}'";
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
            message = new CanMessage { ArbitrationId = id, IsExtendedId = extended, IsRemoteFrame = true, Dlc = length, IsRx = isRx, Channel = channel, Timestamp = start + offset };
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

        message = new CanMessage(id, data[..length], extended) { IsErrorFrame = isError, IsRx = isRx, Channel = channel, Timestamp = start + offset };
        return LineParseResult.Message;
    }
}
