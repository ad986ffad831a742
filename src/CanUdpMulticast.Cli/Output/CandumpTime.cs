using System.Globalization;
using System.Text;

namespace CanUdpMulticast.Cli.Output;

/// <summary>
/// Timestamps as candump prints them: whole microseconds, <c>(%010ld.%06ld)</c> for absolute time and
/// <c>(%03ld.%06ld)</c> for differences. One rounding rule (to the nearest microsecond) everywhere, so a .log line
/// written and read back gives the same microseconds.
/// </summary>
internal static class CandumpTime
{
    /// <summary>Seconds as whole microseconds, rounded to the nearest.</summary>
    /// <param name="seconds">Seconds (python-can timestamp).</param>
    /// <returns>Microseconds.</returns>
    public static long ToMicroseconds(double seconds) =>
        double.IsFinite(seconds) ? (long)Math.Round(seconds * 1_000_000d, MidpointRounding.AwayFromZero) : 0;

    /// <summary>Appends <c>seconds.micros</c> with the integer part zero-padded to <paramref name="secondsDigits"/> digits.</summary>
    /// <param name="sb">The target.</param>
    /// <param name="micros">Microseconds (negative prints as 0, as candump clamps).</param>
    /// <param name="secondsDigits">The minimum number of digits before the point.</param>
    public static void Append(StringBuilder sb, long micros, int secondsDigits)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        var seconds = micros / 1_000_000;
        var fraction = micros % 1_000_000;
        Span<char> buffer = stackalloc char[32];
        seconds.TryFormat(buffer, out var n, secondsDigits == 10 ? "D10" : "D3", CultureInfo.InvariantCulture);
        sb.Append(buffer[..n]).Append('.');
        fraction.TryFormat(buffer, out n, "D6", CultureInfo.InvariantCulture);
        sb.Append(buffer[..n]);
    }

    /// <summary>Appends the absolute time as local <c>yyyy-MM-dd HH:mm:ss.ffffff</c> (candump <c>-t A</c>).</summary>
    /// <param name="sb">The target.</param>
    /// <param name="micros">Microseconds since the Unix epoch.</param>
    public static void AppendDate(StringBuilder sb, long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        var local = DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000).ToLocalTime();
        sb.Append(local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append('.')
            .Append((micros % 1_000_000).ToString("D6", CultureInfo.InvariantCulture));
    }
}
