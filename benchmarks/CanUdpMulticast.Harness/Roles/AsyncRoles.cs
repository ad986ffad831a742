using System.Diagnostics;
using System.Runtime;
using CanUdpMulticast.Harness.Native;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>The pinger and ponger loops over an <see cref="AsyncEndpoint"/> (the library's async API or raw async sockets).</summary>
internal static class AsyncRoles
{
    public static async Task PingAsync(RoleArgs args, AsyncEndpoint endpoint)
    {
        var count = args.Int("count", 20_000);
        var warmup = args.Double("warmup", 2);
        using var state = new PingState();
        var watchdog = Task.Run(() => PingWatchdog(state));
        Report.Ready();
        _ = Libc.ProcessCpuSeconds(); // compiled before the JIT probe counts
        long lost = 0;
        long pings = 0;
        var jitAtThousand = -1L;
        var warmupGate = new WarmupGate(warmup);
        while (warmupGate.Running())
        {
            if (!await PingOnceAsync(endpoint, state).ConfigureAwait(false))
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
            if (await PingOnceAsync(endpoint, state).ConfigureAwait(false))
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
        state.Done = true;
        await watchdog.ConfigureAwait(false);
        for (var i = 0; i < 5; i++)
        {
            await endpoint.SendAsync(FrameKind.Stop, CancellationToken.None).ConfigureAwait(false);
        }

        Report.Result([.. Percentiles.RttFields(rtts, Stopwatch.Frequency), ("lost", lost), ("ping_cpu_us_per_rtt", cpu * 1e6 / count), ("warmup_seconds", warmupGate.Seconds), (JitProbe.Field, jitAfter), .. JitProbe.Fields()]);
    }

    private static async ValueTask<bool> PingOnceAsync(AsyncEndpoint endpoint, PingState state)
    {
        Volatile.Write(ref state.Since, Stopwatch.GetTimestamp());
        try
        {
            await endpoint.SendAsync(FrameKind.Ping, CancellationToken.None).ConfigureAwait(false);
            while (true)
            {
                if (await endpoint.ReceiveAsync(state.Cancel.Token).ConfigureAwait(false) == FrameKind.Pong)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            state.Cancel.Dispose();
            state.Cancel = new CancellationTokenSource();
            return false;
        }
        finally
        {
            Volatile.Write(ref state.Since, 0);
        }
    }

    /// <summary>Cancels a receive that waited more than 200 ms for its pong (a lost frame), like the sync roles' timeout.</summary>
    private static async Task PingWatchdog(PingState state)
    {
        while (!state.Done)
        {
            await Task.Delay(50).ConfigureAwait(false);
            var since = Volatile.Read(ref state.Since);
            if (since != 0 && Stopwatch.GetElapsedTime(since) > SyncEndpoint.ReceiveTimeout)
            {
                await state.Cancel.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    public static async Task PongAsync(RoleArgs args, AsyncEndpoint endpoint)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(args.Double("deadline", 120)));
        long pongs = 0;
        var cpu0 = Libc.ProcessCpuSeconds();
        Report.Ready();
        try
        {
            while (true)
            {
                var kind = await endpoint.ReceiveAsync(cancel.Token).ConfigureAwait(false);
                if (kind == FrameKind.Ping)
                {
                    await endpoint.SendAsync(FrameKind.Pong, cancel.Token).ConfigureAwait(false);
                    pongs++;
                }
                else if (kind == FrameKind.Stop)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // deadline
        }

        Report.Result([("pongs", pongs), ("pong_cpu_seconds", Libc.ProcessCpuSeconds() - cpu0)]);
    }

    private sealed class PingState : IDisposable
    {
        public long Since;
        public volatile bool Done;
        public CancellationTokenSource Cancel = new();

        public void Dispose() => Cancel.Dispose();
    }
}
