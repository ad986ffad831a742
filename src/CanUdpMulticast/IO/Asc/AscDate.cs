using System.Globalization;
using System.Text;
using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Asc;

/// <summary>
/// The dates in ASC headers (<c>date Tue Nov 14 10:13:20.123 PM 2023</c>): written in python-can's English form with
/// milliseconds, read in the forms python-can reads (12- or 24-hour clock, with or without fractions of a second,
/// English or German month names).
/// </summary>
internal static class AscDate
{
    private static readonly string[] EnglishMonths = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    // German abbreviations that differ from the English ones (python-can's list).
    private static readonly (string Name, int Month)[] GermanMonths = [("mär", 3), ("mai", 5), ("okt", 10), ("dez", 12)];

    /// <summary>Formats a wall-clock time as python-can's ASC writer does: <c>Tue Nov 14 10:13:20.123 PM 2023</c>.</summary>
    public static string Format(DateTime wallClock) =>
        wallClock.ToString("ddd MMM dd hh:mm:ss.fff tt yyyy", CultureInfo.InvariantCulture);

    /// <summary>Parses the date after the weekday: <c>Nov 14 10:13:20.123 PM 2023</c> (AM/PM and fractions optional).</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTime wallClock)
    {
        wallClock = default;
        var tokens = new Tokenizer(text);
        if (!tokens.Next(out var monthToken) || !tokens.Next(out var dayToken) || !tokens.Next(out var timeToken) || !tokens.Next(out var next))
        {
            return false;
        }

        var hourOffset = -1;
        if (AsciiText.EqualsIgnoreCase(next, "am"u8) || AsciiText.EqualsIgnoreCase(next, "pm"u8))
        {
            hourOffset = AsciiText.ToLower(next[0]) == (byte)'p' ? 12 : 0;
            if (!tokens.Next(out next))
            {
                return false;
            }
        }

        var yearToken = next;
        if (!tokens.Rest.IsEmpty || !TryMonth(monthToken, out var month) || !AsciiText.TryParseDecimal(dayToken, out var day)
            || !AsciiText.TryParseDecimal(yearToken, out var year) || yearToken.Length != 4)
        {
            return false;
        }

        // H:MM:SS[.ffffff]
        var firstColon = timeToken.IndexOf((byte)':');
        if (firstColon <= 0)
        {
            return false;
        }

        var afterHour = timeToken[(firstColon + 1)..];
        var secondColon = afterHour.IndexOf((byte)':');
        if (secondColon <= 0)
        {
            return false;
        }

        var secondsPart = afterHour[(secondColon + 1)..];
        var dot = secondsPart.IndexOf((byte)'.');
        var fraction = dot >= 0 ? secondsPart[(dot + 1)..] : default;
        var secondsToken = dot >= 0 ? secondsPart[..dot] : secondsPart;
        if (!AsciiText.TryParseDecimal(timeToken[..firstColon], out var hour) || !AsciiText.TryParseDecimal(afterHour[..secondColon], out var minute)
            || !AsciiText.TryParseDecimal(secondsToken, out var second) || (dot >= 0 && (fraction.Length is 0 or > 7 || !AsciiText.IsDigits(fraction))))
        {
            return false;
        }

        if (hourOffset >= 0)
        {
            if (hour is < 1 or > 12)
            {
                return false;
            }

            hour = (hour % 12) + hourOffset;
        }

        long ticks = 0;
        for (var i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
        }

        if (hour > 23 || minute > 59 || second > 59 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        wallClock = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        return true;
    }

    private static bool TryMonth(ReadOnlySpan<byte> token, out int month)
    {
        month = 0;
        Span<char> chars = stackalloc char[16];
        if (token.Length > 16 || Encoding.UTF8.GetCharCount(token) > 16)
        {
            return false;
        }

        var count = Encoding.UTF8.GetChars(token, chars);
        var name = chars[..count];
        if (name.Length < 3)
        {
            return false;
        }

        var prefix = name[..3];
        for (var i = 0; i < EnglishMonths.Length; i++)
        {
            if (prefix.Equals(EnglishMonths[i], StringComparison.OrdinalIgnoreCase))
            {
                month = i + 1;
                return true;
            }
        }

        foreach (var (german, number) in GermanMonths)
        {
            if (prefix.Equals(german, StringComparison.OrdinalIgnoreCase))
            {
                month = number;
                return true;
            }
        }

        return false;
    }
}
