using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using CanUdpMulticast.Harness.Native;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>The sender, receiver, pinger and ponger loops over a <see cref="SyncEndpoint"/>.</summary>
internal static class SyncRoles
{
    public static void Send(RoleArgs args, SyncEndpoint endpoint)
    {
        var frames = args.Int("frames", 200_000);
        var warmup = args.Double("warmup", 2);
        var rate = args.Double("rate", 0);
        var batch = endpoint.SendsInBatches ? SyncEndpoint.BatchSize : 1;
        Report.Ready();

        Pace(endpoint, FrameKind.Warmup, long.MaxValue, warmup, rate, batch);
        Thread.Sleep(300); // let receivers drain their backlog before the measured phase
        var cpu0 = Libc.ProcessCpuSeconds();
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        var sent = Pace(endpoint, FrameKind.Measured, frames, double.PositiveInfinity, rate, batch);
        var end = Stopwatch.GetTimestamp();
        var seconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;
        var cpu = Libc.ProcessCpuSeconds() - cpu0;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        SendEnd(endpoint, FrameKind.End);
        Report.Result([
            ("sent", sent), ("send_seconds", seconds), ("send_rate", sent / seconds),
            ("send_cpu_us_per_frame", cpu * 1e6 / sent), ("send_alloc_bytes_per_frame", (double)allocated / sent),
            ("send_end_monotonic_s", (double)end / Stopwatch.Frequency), .. endpoint.Fields()]);
    }

    /// <summary>
    /// Sends frames of one kind until <paramref name="count"/> are sent or <paramref name="seconds"/> passed: as fast
    /// as possible, or at <paramref name="rate"/> frames/s (bursts every ~1 ms, catching up after a late wake-up).
    /// </summary>
    public static long Pace(SyncEndpoint endpoint, byte kind, long count, double seconds, double rate, int batch)
    {
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        while (sent < count)
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (elapsed >= seconds)
            {
                break;
            }

            var target = rate > 0 ? Math.Min(count, (long)(elapsed * rate) + 1) : Math.Min(count, sent + 4096);
            while (sent < target)
            {
                var n = (int)Math.Min(batch, target - sent);
                if (n == 1)
                {
                    endpoint.Send(kind);
                }
                else
                {
                    endpoint.SendMany(kind, n);
                }

                sent += n;
            }

            if (rate > 0 && sent < count)
            {
                Thread.Sleep(1);
            }
        }

        return sent;
    }

    public static void SendEnd(SyncEndpoint endpoint, byte kind)
    {
        for (var i = 0; i < 10; i++)
        {
            endpoint.Send(kind);
            Thread.Sleep(10);
        }
    }

    public static void Receive(RoleArgs args, SyncEndpoint endpoint, int batch)
    {
        var tally = new Tally(args.Double("idle", 1.0), args.Double("deadline", 120), args.Get("backlog", "0") == "1");
        Span<byte> kinds = stackalloc byte[SyncEndpoint.BatchSize];
        kinds = kinds[..batch];
        Report.Ready();
        while (!tally.Done)
        {
            var n = endpoint.Receive(kinds);
            if (n == 0)
            {
                tally.OnIdle();
                continue;
            }

            for (var i = 0; i < n && !tally.Observe(kinds[i]); i++)
            {
            }
        }

        Report.Result([.. tally.Fields(), .. endpoint.Fields()]);
    }

    public static void Ping(RoleArgs args, SyncEndpoint endpoint)
    {
        var count = args.Int("count", 20_000);
        var warmup = args.Double("warmup", 2);
        Span<byte> kinds = stackalloc byte[SyncEndpoint.BatchSize];
        Report.Ready();
        _ = Libc.ProcessCpuSeconds(); // compiled before the JIT probe counts
        var lost = 0L;
        var pings = 0L;
        var jitAtThousand = -1L;
        var warmupGate = new WarmupGate(warmup);
        while (warmupGate.Running())
        {
            if (!PingOnce(endpoint, kinds))
            {
                lost++;
            }

            if (++pings == JitProbe.AfterFrames)
            {
                JitProbe.Arm();
                jitAtThousand = JitInfo.GetCompiledMethodCount();
            }
        }

        var rtts = new long[count];
        var cpu0 = Libc.ProcessCpuSeconds();
        for (var i = 0; i < count;)
        {
            var t0 = Stopwatch.GetTimestamp();
            if (PingOnce(endpoint, kinds))
            {
                rtts[i++] = Stopwatch.GetTimestamp() - t0;
            }
            else
            {
                lost++;
            }
        }

        var jitAfter = jitAtThousand < 0 ? 0 : JitInfo.GetCompiledMethodCount() - jitAtThousand;
        var cpu = Libc.ProcessCpuSeconds() - cpu0;
        JitProbe.Stop();
        for (var i = 0; i < 5; i++)
        {
            endpoint.Send(FrameKind.Stop);
        }

        Report.Result([.. Percentiles.RttFields(rtts, Stopwatch.Frequency), ("lost", lost), ("ping_cpu_us_per_rtt", cpu * 1e6 / count), ("warmup_seconds", warmupGate.Seconds), (JitProbe.Field, jitAfter), .. JitProbe.Fields()]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool PingOnce(SyncEndpoint endpoint, Span<byte> kinds)
    {
        endpoint.Send(FrameKind.Ping);
        while (true)
        {
            var n = endpoint.Receive(kinds);
            if (n == 0)
            {
                return false; // lost; the caller pings again
            }

            if (kinds[..n].Contains(FrameKind.Pong))
            {
                return true;
            }
        }
    }

    public static void Pong(RoleArgs args, SyncEndpoint endpoint)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(args.Double("deadline", 120) * Stopwatch.Frequency);
        Span<byte> kinds = stackalloc byte[SyncEndpoint.BatchSize];
        long pongs = 0;
        var cpu0 = Libc.ProcessCpuSeconds();
        Report.Ready();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var n = endpoint.Receive(kinds);
            var stop = false;
            for (var i = 0; i < n; i++)
            {
                if (kinds[i] == FrameKind.Ping)
                {
                    endpoint.Send(FrameKind.Pong);
                    pongs++;
                }
                else if (kinds[i] == FrameKind.Stop)
                {
                    stop = true;
                }
            }

            if (stop)
            {
                break;
            }
        }

        Report.Result([("pongs", pongs), ("pong_cpu_seconds", Libc.ProcessCpuSeconds() - cpu0)]);
    }
}
