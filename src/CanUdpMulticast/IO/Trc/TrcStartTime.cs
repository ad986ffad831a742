using System.Globalization;
using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Trc;

/// <summary>
/// TRC's <c>$STARTTIME</c>: the wall-clock start of the trace as an OLE automation date (days since 1899-12-30,
/// the fraction being the time of day), in local time as PEAK's tools write it.
/// </summary>
internal static class TrcStartTime
{
    private static readonly long OleEpochTicks = new DateTime(1899, 12, 30).Ticks;

    /// <summary>The Unix time of an OLE date, rounded to the microsecond (the header has no finer resolution).</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, TimeZoneInfo timeZone, out double unixSeconds)
    {
        unixSeconds = 0;
        if (!AsciiText.TryParseDouble(text, out var days) || days is < 0 or > 2_958_465)
        {
            return false;
        }

        var wallClock = new DateTime(OleEpochTicks + (long)Math.Round(days * TimeSpan.TicksPerDay), DateTimeKind.Unspecified);
        unixSeconds = Math.Round(WallClock.ToUnixSeconds(wallClock, timeZone) * 1e6) / 1e6;
        return true;
    }

    /// <summary>The OLE date of a Unix time in whole milliseconds, with every digit needed to read it back.</summary>
    public static string Format(long unixMilliseconds, TimeZoneInfo timeZone)
    {
        var wallClock = WallClock.FromUnixMilliseconds(unixMilliseconds, timeZone);
        var days = (wallClock.Ticks - OleEpochTicks) / (double)TimeSpan.TicksPerDay;
        return days.ToString("R", CultureInfo.InvariantCulture);
    }
}
