using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CanUdpMulticast.IO.Text;

/// <summary>Allocation-free parsing and formatting of the ASCII pieces text log formats are made of.</summary>
internal static class AsciiText
{
    public static ReadOnlySpan<byte> UpperHexDigits => "0123456789ABCDEF"u8;

    public static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> text)
    {
        var i = 0;
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        return text[i..];
    }

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        text = TrimStart(text);
        var end = text.Length;
        while (end > 0 && text[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return text[..end];
    }

    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lowerCaseAscii)
    {
        if (text.Length != lowerCaseAscii.Length)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (ToLower(text[i]) != lowerCaseAscii[i])
            {
                return false;
            }
        }

        return true;
    }

    public static bool StartsWithIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lowerCaseAscii) =>
        text.Length >= lowerCaseAscii.Length && EqualsIgnoreCase(text[..lowerCaseAscii.Length], lowerCaseAscii);

    public static bool IsDigits(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses hex digits (either case) into a value of at most 32 bits.</summary>
    public static bool TryParseHex(ReadOnlySpan<byte> text, out uint value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 8)
        {
            return false;
        }

        foreach (var b in text)
        {
            var digit = HexValue(b);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        return true;
    }

    /// <summary>Parses a non-negative decimal integer of at most 9 digits.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 9)
        {
            return false;
        }

        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    /// <summary>Parses a non-negative integer in base 16 or 10.</summary>
    public static bool TryParseInBase(ReadOnlySpan<byte> text, AscNumberBase numberBase, out uint value)
    {
        if (numberBase == AscNumberBase.Hex)
        {
            return TryParseHex(text, out value);
        }

        value = 0;
        if (text.IsEmpty || text.Length > 10)
        {
            return false;
        }

        ulong result = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            result = (result * 10) + (uint)(b - '0');
        }

        if (result > uint.MaxValue)
        {
            return false;
        }

        value = (uint)result;
        return true;
    }

    /// <summary>Parses a decimal floating-point number (correctly rounded, as python's <c>float()</c>).</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        // Fast path for "digits[.digits]" (every timestamp): with all digits as an integer M below 2^53 and n
        // decimals (n <= 22), M and 10^n are exact doubles and one division rounds correctly (Clinger's fast path).
        ulong mantissa = 0;
        var decimals = -1;
        var digits = 0;
        foreach (var b in text)
        {
            if (b is >= (byte)'0' and <= (byte)'9')
            {
                mantissa = (mantissa * 10) + (uint)(b - '0');
                digits++;
                if (decimals >= 0)
                {
                    decimals++;
                }
            }
            else if (b == (byte)'.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                digits = -1;
                break;
            }
        }

        if (digits is > 0 and <= 19 && mantissa < (1UL << 53) && decimals <= 22)
        {
            value = decimals <= 0 ? mantissa : mantissa / PowersOfTen[decimals];
            return true;
        }

        return double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    private static ReadOnlySpan<double> PowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    public static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

    /// <summary>Writes <paramref name="value"/> in upper-case hex with at least <paramref name="minDigits"/> digits.</summary>
    public static int WriteHex(Span<byte> destination, uint value, int minDigits)
    {
        var digits = 1;
        for (var v = value >> 4; v != 0; v >>= 4)
        {
            digits++;
        }

        digits = Math.Max(digits, minDigits);
        for (var i = digits - 1; i >= 0; i--)
        {
            destination[i] = UpperHexDigits[(int)(value & 0xF)];
            value >>= 4;
        }

        return digits;
    }

    /// <summary>Writes bytes as upper-case hex pairs, optionally separated by one space.</summary>
    public static int WriteHexBytes(Span<byte> destination, ReadOnlySpan<byte> data, bool spaced)
    {
        var pos = 0;
        for (var i = 0; i < data.Length; i++)
        {
            if (spaced && i > 0)
            {
                destination[pos++] = (byte)' ';
            }

            destination[pos++] = UpperHexDigits[data[i] >> 4];
            destination[pos++] = UpperHexDigits[data[i] & 0xF];
        }

        return pos;
    }

    public static int WriteDecimal(Span<byte> destination, long value)
    {
        Utf8Formatter.TryFormat(value, destination, out var written);
        return written;
    }

    /// <summary>Writes a value with a fixed number of decimals (3 or 6 fast), rounded to nearest as C's <c>%.Nf</c>.</summary>
    /// <remarks>
    /// The fast path rounds <c>fraction * 10^N</c> half to even. The product is exact for timestamps of 2^20 s and
    /// more (Unix times), so the text equals C's; for small values it can differ only when the value lies within
    /// about 1e-16 of a half-way point.
    /// </remarks>
    public static int WriteFixed(Span<byte> destination, double value, int decimals)
    {
        if (decimals is 3 or 6 && value >= 0 && value < 4e15)
        {
            var scale = decimals == 3 ? 1_000L : 1_000_000L;
            var whole = Math.Floor(value);
            var fraction = (long)Math.Round((value - whole) * scale, MidpointRounding.ToEven);
            var integer = (long)whole;
            if (fraction == scale)
            {
                integer++;
                fraction = 0;
            }

            Utf8Formatter.TryFormat(integer, destination, out var length);
            destination[length++] = (byte)'.';
            for (var i = length + decimals - 1; i >= length; i--)
            {
                destination[i] = (byte)('0' + (fraction % 10));
                fraction /= 10;
            }

            return length + decimals;
        }

        var format = decimals switch
        {
            3 => "F3",
            6 => "F6",
            _ => "F" + decimals.ToString(CultureInfo.InvariantCulture),
        };
        value.TryFormat(destination, out var written, format, CultureInfo.InvariantCulture);
        return written;
    }

    /// <summary>Writes <paramref name="text"/> right-aligned in <paramref name="width"/> columns.</summary>
    public static int WritePadLeft(Span<byte> destination, ReadOnlySpan<byte> text, int width)
    {
        var pad = Math.Max(0, width - text.Length);
        destination[..pad].Fill((byte)' ');
        text.CopyTo(destination[pad..]);
        return pad + text.Length;
    }

    /// <summary>Writes <paramref name="text"/> left-aligned in <paramref name="width"/> columns.</summary>
    public static int WritePadRight(Span<byte> destination, ReadOnlySpan<byte> text, int width)
    {
        text.CopyTo(destination);
        var pad = Math.Max(0, width - text.Length);
        destination.Slice(text.Length, pad).Fill((byte)' ');
        return text.Length + pad;
    }

    /// <summary>Decodes a span of bytes that must be ASCII into chars.</summary>
    public static bool TryWiden(ReadOnlySpan<byte> text, Span<char> destination) =>
        System.Text.Ascii.ToUtf16(text, destination, out var written) == System.Buffers.OperationStatus.Done && written == text.Length;

    /// <summary>Shows a line in an error message: printable ASCII, shortened.</summary>
    public static string Show(ReadOnlySpan<byte> line)
    {
        const int Max = 120;
        var shown = line.Length > Max ? line[..Max] : line;
        var sb = new StringBuilder(shown.Length + 3);
        foreach (var b in shown)
        {
            sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }

        if (line.Length > Max)
        {
            sb.Append("...");
        }

        return sb.ToString();
    }
}
