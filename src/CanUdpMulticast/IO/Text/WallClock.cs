namespace CanUdpMulticast.IO.Text;

/// <summary>Converts between Unix timestamps and the wall-clock times that ASC and TRC headers hold.</summary>
internal static class WallClock
{
    /// <summary>The Unix time of a wall-clock time in a time zone (a time in a DST gap counts as standard time).</summary>
    public static double ToUnixSeconds(DateTime wallClock, TimeZoneInfo timeZone)
    {
        var unspecified = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        var offset = timeZone.GetUtcOffset(unspecified);
        var utcTicks = unspecified.Ticks - offset.Ticks;
        return (utcTicks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;
    }

    /// <summary>The wall-clock time in a time zone of a Unix time given in whole milliseconds.</summary>
    public static DateTime FromUnixMilliseconds(long milliseconds, TimeZoneInfo timeZone)
    {
        var utc = DateTime.UnixEpoch.AddTicks(milliseconds * TimeSpan.TicksPerMillisecond);
        return TimeZoneInfo.ConvertTimeFromUtc(utc, timeZone);
    }

    /// <summary>Whole milliseconds at or before a Unix time (the measurement start written in headers).</summary>
    public static long FloorMilliseconds(double unixSeconds) =>
        double.IsFinite(unixSeconds) ? (long)Math.Floor(unixSeconds * 1000.0) : 0;
}
