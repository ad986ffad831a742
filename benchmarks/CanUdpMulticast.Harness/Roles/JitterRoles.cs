using System.Diagnostics;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// Periodic-send jitter (issue 5): a sender process runs one cyclic task; a receiving UdpMulticastBus records the kernel
/// receive timestamp of every frame, and the deviations from the ideal schedule are computed from those.
/// </summary>
internal static class JitterRoles
{
    /// <summary>The library's periodic sender: a warm-up task, then the measured task of <c>--count</c> frames.</summary>
    public static void Send(RoleArgs args, CanBus bus)
    {
        var period = TimeSpan.FromMilliseconds(args.Double("period-ms", 10));
        var count = args.Int("count", 500);
        var warmup = TimeSpan.FromSeconds(args.Double("warmup", 2));
        var cold = args.Get("cold", "0") == "1";
        var callSeconds = 0.0;
        Report.Ready();
        if (cold)
        {
            // Issue 11, item 7: the process's first periodic task, after one plain send (the bus is open and has sent).
            bus.Send(Datagram.Message(FrameKind.Warmup));
        }
        else
        {
            using (bus.SendPeriodic(Datagram.Message(FrameKind.Warmup), period, warmup))
            {
                Thread.Sleep(warmup + TimeSpan.FromMilliseconds(200));
            }
        }

        Thread.Sleep(300);
        var called = CanClock.Now();
        var callStart = Stopwatch.GetTimestamp();
        using (var task = bus.SendPeriodic(Datagram.Message(FrameKind.Measured), period, period * count))
        {
            callSeconds = Stopwatch.GetElapsedTime(callStart).TotalSeconds;
            Thread.Sleep((period * count) + TimeSpan.FromMilliseconds(500));
        }

        for (var i = 0; i < 10; i++)
        {
            bus.Send(Datagram.Message(FrameKind.End));
            Thread.Sleep(10);
        }

        // The wall-clock time of the SendPeriodic call modulo 1000 s (the receiver reports its first kernel timestamp the same
        // way; the orchestrator takes the difference: how late the first frame left).
        Report.Result([("period_ms", period.TotalMilliseconds), ("called_mod1000", called % 1000), ("call_us", callSeconds * 1e6)]);
    }

    /// <summary>Receives with the library (kernel timestamps) and reports the schedule statistics.</summary>
    public static void Receive(RoleArgs args, CanBus bus)
    {
        var period = args.Double("period-ms", 10) / 1000;
        var deadline = Stopwatch.GetTimestamp() + (long)(args.Double("deadline", 120) * Stopwatch.Frequency);
        var timestamps = new List<double>(args.Int("count", 500) + 16);
        Report.Ready();
        var lastMeasured = 0L;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (bus.Receive(SyncEndpoint.ReceiveTimeout) is not { } message)
            {
                if (timestamps.Count > 0 && Stopwatch.GetElapsedTime(lastMeasured).TotalSeconds > 2)
                {
                    break;
                }

                continue;
            }

            var kind = LibraryRoles.KindOf(message);
            if (kind == FrameKind.Measured)
            {
                timestamps.Add(message.Timestamp);
                lastMeasured = Stopwatch.GetTimestamp();
            }
            else if (kind == FrameKind.End)
            {
                break;
            }
        }

        Report.Result([.. Schedule(timestamps, period), .. LibraryRoles.StatisticsFields(bus)]);
    }

    /// <summary>
    /// Schedule deviation: |t_k − (φ + k·T)|, where the phase φ is the median of t_k − k·T (the ideal drift-free schedule
    /// that fits the frames best; one late first frame does not shift it, a drifting sender's error grows with k).
    /// Interval error: |(t_k − t_{k−1}) − T|. Both in microseconds, nearest-rank percentiles.
    /// </summary>
    public static IEnumerable<(string Key, double Value)> Schedule(List<double> timestamps, double period)
    {
        var n = timestamps.Count;
        yield return ("frames", n);
        if (n < 2)
        {
            yield break;
        }

        var offsets = new double[n];
        for (var k = 0; k < n; k++)
        {
            offsets[k] = timestamps[k] - timestamps[0] - (k * period);
        }

        var sortedOffsets = (double[])offsets.Clone();
        Array.Sort(sortedOffsets);
        var phase = sortedOffsets[n / 2];
        var deviations = new double[n];
        var intervals = new double[n - 1];
        for (var k = 0; k < n; k++)
        {
            deviations[k] = Math.Abs(offsets[k] - phase) * 1e6;
            if (k > 0)
            {
                intervals[k - 1] = Math.Abs(timestamps[k] - timestamps[k - 1] - period) * 1e6;
            }
        }

        Array.Sort(deviations);
        Array.Sort(intervals);
        yield return ("dev_p50_us", At(deviations, 0.50));
        yield return ("dev_p99_us", At(deviations, 0.99));
        yield return ("dev_max_us", deviations[^1]);
        yield return ("interval_err_p50_us", At(intervals, 0.50));
        yield return ("interval_err_p99_us", At(intervals, 0.99));
        yield return ("interval_err_max_us", intervals[^1]);
        yield return ("mean_period_us", (timestamps[^1] - timestamps[0]) / (n - 1) * 1e6);

        // The start of the schedule (cold start): the first kernel timestamp (mod 1000 s), the second slot's interval error
        // and the largest interval error over the first five slots.
        yield return ("first_mod1000", timestamps[0] % 1000);
        yield return ("slot2_err_us", ((timestamps[1] - timestamps[0]) - period) * 1e6);
        var early = 0.0;
        for (var k = 1; k < Math.Min(n, 6); k++)
        {
            early = Math.Max(early, Math.Abs(timestamps[k] - timestamps[k - 1] - period) * 1e6);
        }

        yield return ("early_interval_err_max_us", early);
    }

    private static double At(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
