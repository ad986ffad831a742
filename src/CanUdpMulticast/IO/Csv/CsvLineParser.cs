using System.Buffers.Text;
using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Csv;

/// <summary>Parses python-can's CSV rows: <c>timestamp,arbitration_id,extended,remote,error,dlc,data</c>.</summary>
internal sealed class CsvLineParser : LineParser
{
    public static ReadOnlySpan<byte> Header => "timestamp,arbitration_id,extended,remote,error,dlc,data"u8;

    private bool _headerSeen;

    public override LineParseResult Parse(ReadOnlySpan<byte> line, long lineNumber, out CanMessage message, out string? error)
    {
        message = default;
        error = null;
        var text = AsciiText.Trim(line);
        if (!_headerSeen)
        {
            _headerSeen = true;
            if (!AsciiText.EqualsIgnoreCase(text, Header))
            {
                FatalError = error = $"the first line must be python-can's CSV header '{System.Text.Encoding.ASCII.GetString(Header)}', got '{AsciiText.Show(text)}'";
                return LineParseResult.Invalid;
            }

            return LineParseResult.Skip;
        }

        if (text.IsEmpty)
        {
            return LineParseResult.Skip;
        }

        Span<Range> fields = stackalloc Range[8];
        if (Split(text, fields) != 7)
        {
            error = $"a row has 7 comma-separated fields (timestamp,arbitration_id,extended,remote,error,dlc,data), got '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        var idText = AsciiText.Trim(text[fields[1]]);
        if (idText.Length > 2 && idText[0] == (byte)'0' && AsciiText.ToLower(idText[1]) == (byte)'x')
        {
            idText = idText[2..];
        }

        if (!AsciiText.TryParseDouble(AsciiText.Trim(text[fields[0]]), out var timestamp))
        {
            error = $"the timestamp '{AsciiText.Show(text[fields[0]])}' is not a number";
            return LineParseResult.Invalid;
        }

        if (!AsciiText.TryParseHex(idText, out var id) || id > 0x1FFF_FFFF)
        {
            error = $"the arbitration id '{AsciiText.Show(text[fields[1]])}' is not a hex id like 0x123";
            return LineParseResult.Invalid;
        }

        if (!TryFlag(text[fields[2]], out var extended) || !TryFlag(text[fields[3]], out var remote) || !TryFlag(text[fields[4]], out var isError))
        {
            error = $"the flags extended, remote and error must be 0 or 1 in '{AsciiText.Show(text)}'";
            return LineParseResult.Invalid;
        }

        if (!AsciiText.TryParseDecimal(AsciiText.Trim(text[fields[5]]), out var dlc) || dlc > CanDlc.MaxFdLength)
        {
            error = $"the dlc '{AsciiText.Show(text[fields[5]])}' is not a length 0..64";
            return LineParseResult.Invalid;
        }

        var encoded = AsciiText.Trim(text[fields[6]]);
        Span<byte> data = stackalloc byte[Base64.GetMaxDecodedFromUtf8Length(Math.Min(encoded.Length, 200))];
        if (encoded.Length > 200
            || Base64.DecodeFromUtf8(encoded, data, out _, out var length) != System.Buffers.OperationStatus.Done
            || length > CanDlc.MaxFdLength)
        {
            error = $"the data '{AsciiText.Show(encoded)}' is not base64 of at most 64 bytes";
            return LineParseResult.Invalid;
        }

        message = new CanMessage(id, data[..length], extended)
        {
            Timestamp = timestamp,
            IsRemoteFrame = remote,
            IsErrorFrame = isError,

            // The layout has no FD column: more than 8 bytes can only be CAN FD.
            IsFd = length > CanDlc.MaxClassicLength || (!remote && dlc > CanDlc.MaxClassicLength),
            Dlc = dlc,
        };
        return LineParseResult.Message;
    }

    private static int Split(ReadOnlySpan<byte> text, Span<Range> fields)
    {
        var count = 0;
        var start = 0;
        while (count < fields.Length)
        {
            var comma = text[start..].IndexOf((byte)',');
            if (comma < 0)
            {
                fields[count++] = new Range(start, text.Length);
                return count;
            }

            fields[count++] = new Range(start, start + comma);
            start += comma + 1;
        }

        return count + 1;
    }

    private static bool TryFlag(ReadOnlySpan<byte> field, out bool value)
    {
        field = AsciiText.Trim(field);
        value = field.Length == 1 && field[0] == (byte)'1';
        return field.Length == 1 && field[0] is (byte)'0' or (byte)'1';
    }
}
