namespace CanUdpMulticast.Harness.Roles;

internal static class Percentiles
{
    /// <summary>p50/p99/max/mean of round-trip times given in Stopwatch ticks, as microseconds.</summary>
    public static IEnumerable<(string Key, double Value)> RttFields(long[] ticks, long frequency)
    {
        var sorted = (long[])ticks.Clone();
        Array.Sort(sorted);
        double Us(long t) => t * 1e6 / frequency;
        yield return ("rtt_p50_us", Us(At(sorted, 0.50)));
        yield return ("rtt_p90_us", Us(At(sorted, 0.90)));
        yield return ("rtt_p99_us", Us(At(sorted, 0.99)));
        yield return ("rtt_max_us", Us(sorted[^1]));
        yield return ("rtt_mean_us", sorted.Average() * 1e6 / frequency);
        yield return ("pings", sorted.Length);
    }

    /// <summary>Nearest-rank percentile of a sorted array.</summary>
    public static long At(long[] sorted, double quantile)
    {
        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
