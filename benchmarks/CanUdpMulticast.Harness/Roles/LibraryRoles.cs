using System.Diagnostics;
using CanUdpMulticast.Harness.Native;
using CanUdpMulticast.Interfaces.UdpMulticast;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// The library's roles. Implementations: <c>lib</c> (Send + Receive), <c>lib-batch</c> (SendBatch + ReceiveBatch),
/// <c>lib-async</c> (SendAsync + ReceiveAsync), <c>lib-readall</c> (ReadAllAsync). Senders of the async kinds send with
/// <c>Send</c>: only the receive side differs.
/// </summary>
internal static class LibraryRoles
{
    public static bool TryRun(RoleArgs args)
    {
        if (!args.Impl.StartsWith("lib", StringComparison.Ordinal))
        {
            return false;
        }

        using var bus = Open(args);
        var impl = args.Impl;
        if (args.Role == "periodic-send")
        {
            JitterRoles.Send(args, bus);
            return true;
        }

        if (args.Role == "periodic-recv")
        {
            JitterRoles.Receive(args, bus);
            return true;
        }

        var isAsync = impl is "lib-async" or "lib-readall";
        switch (args.Role)
        {
            case "send" or "recv" or "ping" or "pong" when !isAsync || args.Role == "send":
            {
                using var endpoint = new LibraryEndpoint(bus, batch: impl == "lib-batch");
                switch (args.Role)
                {
                    case "send": SyncRoles.Send(args, endpoint); break;
                    case "recv": SyncRoles.Receive(args, endpoint, impl == "lib-batch" ? SyncEndpoint.BatchSize : 1); break;
                    case "ping": SyncRoles.Ping(args, endpoint); break;
                    case "pong": SyncRoles.Pong(args, endpoint); break;
                }

                break;
            }

            case "recv": ReceiveAsync(args, bus, readAll: impl == "lib-readall").GetAwaiter().GetResult(); break;
            case "ping": PingAsync(args, bus).GetAwaiter().GetResult(); break;
            case "pong": PongAsync(args, bus).GetAwaiter().GetResult(); break;
        }

        return true;
    }

    public static CanBus Open(RoleArgs args) => new UdpMulticastBus(new UdpMulticastBusOptions
    {
        Channel = args.Group.ToString(),
        Port = args.Port,
        HopLimit = 0,
        TimestampSource = args.Get("timestamps", "auto") == "software" ? UdpMulticastTimestampSource.Software : UdpMulticastTimestampSource.Auto,
    });

    public static byte KindOf(in CanMessage message) =>
        message.ArbitrationId == Datagram.ArbitrationId && message.Data.Length == 8 ? message.Data[0] : (byte)0;

    public static IEnumerable<(string Key, double Value)> StatisticsFields(CanBus bus)
    {
        var statistics = bus.Statistics;
        yield return ("bus_received", statistics.FramesReceived);
        yield return ("bus_dropped", statistics.FramesDropped);
        yield return ("bus_malformed", statistics.MalformedFrames);
    }

    private static async Task ReceiveAsync(RoleArgs args, CanBus bus, bool readAll)
    {
        var tally = new Tally(args.Double("idle", 1.0), args.Double("deadline", 120));
        using var cancel = new CancellationTokenSource();
        var watchdog = Watchdog(tally, cancel);
        Report.Ready();
        try
        {
            if (readAll)
            {
                await foreach (var message in bus.ReadAllAsync(cancel.Token).ConfigureAwait(false))
                {
                    if (tally.Observe(KindOf(message)))
                    {
                        break;
                    }
                }
            }
            else
            {
                while (!tally.Done)
                {
                    var message = await bus.ReceiveAsync(cancel.Token).ConfigureAwait(false);
                    tally.Observe(KindOf(message));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // idle limit or deadline
        }

        tally.Finish();
        await watchdog.ConfigureAwait(false);
        Report.Result([.. tally.Fields(), .. StatisticsFields(bus)]);
    }

    private static async Task Watchdog(Tally tally, CancellationTokenSource cancel)
    {
        while (!tally.Done)
        {
            await Task.Delay(100).ConfigureAwait(false);
            if (!tally.Done && tally.IdleExpired())
            {
                await cancel.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    private static async Task PingAsync(RoleArgs args, CanBus bus)
    {
        var count = args.Int("count", 20_000);
        var warmup = args.Double("warmup", 2);
        var ping = Datagram.Message(FrameKind.Ping);
        using var state = new PingState();
        var watchdog = Task.Run(() => PingWatchdog(state));
        Report.Ready();
        long lost = 0;
        var warmupGate = new WarmupGate(warmup);
        while (warmupGate.Running())
        {
            if (!await PingOnceAsync(bus, ping, state).ConfigureAwait(false))
            {
                lost++;
            }
        }

        var rtts = new long[count];
        var cpu0 = Libc.ProcessCpuSeconds();
        for (var i = 0; i < count;)
        {
            var t0 = Stopwatch.GetTimestamp();
            if (await PingOnceAsync(bus, ping, state).ConfigureAwait(false))
            {
                rtts[i++] = Stopwatch.GetTimestamp() - t0;
            }
            else
            {
                lost++;
            }
        }

        var cpu = Libc.ProcessCpuSeconds() - cpu0;
        state.Done = true;
        await watchdog.ConfigureAwait(false);
        for (var i = 0; i < 5; i++)
        {
            await bus.SendAsync(Datagram.Message(FrameKind.Stop)).ConfigureAwait(false);
        }

        Report.Result([.. Percentiles.RttFields(rtts, Stopwatch.Frequency), ("lost", lost), ("ping_cpu_us_per_rtt", cpu * 1e6 / count), ("warmup_seconds", warmupGate.Seconds)]);
    }

    private static async ValueTask<bool> PingOnceAsync(CanBus bus, CanMessage ping, PingState state)
    {
        Volatile.Write(ref state.Since, Stopwatch.GetTimestamp());
        try
        {
            await bus.SendAsync(ping).ConfigureAwait(false);
            while (true)
            {
                var message = await bus.ReceiveAsync(state.Cancel.Token).ConfigureAwait(false);
                if (KindOf(message) == FrameKind.Pong)
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

    private static async Task PongAsync(RoleArgs args, CanBus bus)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(args.Double("deadline", 120)));
        var pong = Datagram.Message(FrameKind.Pong);
        long pongs = 0;
        var cpu0 = Libc.ProcessCpuSeconds();
        Report.Ready();
        try
        {
            while (true)
            {
                var message = await bus.ReceiveAsync(cancel.Token).ConfigureAwait(false);
                var kind = KindOf(message);
                if (kind == FrameKind.Ping)
                {
                    await bus.SendAsync(pong, cancel.Token).ConfigureAwait(false);
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
