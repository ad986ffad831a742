using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Trc;

/// <summary>The fields TRC message lines of every version share: time offset, id, bus and data bytes.</summary>
internal static class TrcFields
{
    public static bool TryData(ReadOnlySpan<byte> text, ReadOnlySpan<Range> tokens, Span<byte> data, out string? error)
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

    public static bool TryOffset(ReadOnlySpan<byte> token, out double seconds)
    {
        seconds = 0;
        if (!AsciiText.TryParseDouble(token, out var milliseconds) || milliseconds < 0)
        {
            return false;
        }

        seconds = milliseconds / 1000.0;
        return true;
    }

    public static bool TryId(ReadOnlySpan<byte> token, out uint id, out bool extended)
    {
        // PEAK writes 4 digits for standard and 8 for extended ids; python-can decides by "more than 4".
        extended = token.Length > 4;
        return AsciiText.TryParseHex(token, out id) && id <= (extended ? 0x1FFF_FFFFu : 0x7FFu);
    }

    // TRC numbers buses from 1; frames get the number minus one, as in ASC.
    public static bool TryBus(ReadOnlySpan<byte> token, out CanChannel channel)
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
}
