using System.Diagnostics;
using CanUdpMulticast;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Nats;

/// <summary>The bus rows: the nats bus and the udp_multicast bus, through the same CanBus calls.</summary>
internal static class BusRows
{
    private static readonly int Passes = int.Parse(Environment.GetEnvironmentVariable("NATSBENCH_PASSES") ?? "2", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<Result> NatsAsync(string url, CanMessage frame, int frames, int pings)
    {
        NatsBusOptions Options(string bus) => new() { Servers = [url], Bus = bus, ReceiveQueueCapacity = 1 << 20 };
        using var none = new NatsBus(Options("none"));
        var send = await SendOnlyAsync(none, frame, frames, flush: () => none.Dispose());
        using var receiver = new NatsBus(Options("oneway"));
        using var sender = new NatsBus(Options("oneway"));
        return await OneWayAndRtt(sender, receiver, frame, frames, pings, send,
            new NatsBus(Options("rtt")), new NatsBus(Options("rtt")));
    }

    public static async Task<Result> UdpAsync(CanMessage frame, int frames, int pings)
    {
        UdpMulticastBusOptions Options(string group) => new() { Channel = group, HopLimit = 0, ReceiveBufferSize = 8 << 20 };
        using var none = new UdpMulticastBus(Options("239.74.163.9"));
        var send = await SendOnlyAsync(none, frame, frames, flush: null);
        using var receiver = new UdpMulticastBus(Options("239.74.163.10"));
        using var sender = new UdpMulticastBus(Options("239.74.163.10"));
        return await OneWayAndRtt(sender, receiver, frame, frames, pings, send,
            new UdpMulticastBus(Options("239.74.163.11")), new UdpMulticastBus(Options("239.74.163.11")));
    }

    /// <summary>Sends with nobody subscribed; <paramref name="flush"/> (the nats bus's close: a PING round trip) makes
    /// the rate count frames that reached the server, not frames queued in the client.</summary>
    private static async Task<Cost> SendOnlyAsync(CanBus bus, CanMessage frame, int frames, Action? flush)
    {
        var before = await Probe.TakeAsync();
        for (var i = 0; i < frames; i++)
        {
            bus.Send(frame);
        }

        flush?.Invoke();
        return before.To(await Probe.TakeAsync(), frames);
    }

    /// <summary>The one-way run, then the RTT: <paramref name="pinger"/> and <paramref name="echo"/> are two buses on one
    /// channel (two connections, as the raw rows' two): each hears the other's frames, not its own.</summary>
    private static async Task<Result> OneWayAndRtt(CanBus sender, CanBus receiver, CanMessage frame, int frames, int pings, Cost send, CanBus pinger, CanBus echo)
    {
        using (pinger)
        using (echo)
        {
            var received = 0;
            var elapsed = TimeSpan.Zero;
            Cost oneWay = default;
            var senderAlloc = 0.0;
            var readerAlloc = 0.0;
            var senderCpu = 0.0;
            var readerCpu = 0.0;
            for (var pass = 0; pass < Passes; pass++)
            {
                // Pass 0 warms up (and grows the receive queue); pass 1 is measured, as for the raw rows.
                var count = 0;
                var before = await Probe.TakeAsync();
                var watch = Stopwatch.StartNew();
                var reader = new Thread(() =>
                {
                    var batch = new CanMessage[64];
                    var start = GC.GetAllocatedBytesForCurrentThread();
                    var cpu = ThreadCpu.Now();
                    while (count < frames)
                    {
                        var n = receiver.ReceiveBatch(batch, TimeSpan.FromSeconds(2));
                        if (n == 0)
                        {
                            break;
                        }

                        count += n;
                    }

                    readerAlloc = (GC.GetAllocatedBytesForCurrentThread() - start) / (double)frames;
                    readerCpu = (ThreadCpu.Now() - cpu).TotalMicroseconds / frames;
                });
                reader.Start();
                var sent = GC.GetAllocatedBytesForCurrentThread();
                var sendCpu = ThreadCpu.Now();
                for (var i = 0; i < frames; i++)
                {
                    sender.Send(frame);
                }

                senderAlloc = (GC.GetAllocatedBytesForCurrentThread() - sent) / (double)frames;
                senderCpu = (ThreadCpu.Now() - sendCpu).TotalMicroseconds / frames;

                reader.Join();
                elapsed = watch.Elapsed;
                oneWay = before.To(await Probe.TakeAsync(), frames);
                received = count;
            }

            using var stop = new CancellationTokenSource();
            var echoing = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var m = await echo.ReceiveAsync(stop.Token);
                        await echo.SendAsync(m);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
            var rtts = new double[pings];

            // One token for the whole loop, as the raw rows wait without a timeout: a WaitAsync per ping (a timer and
            // a task each) would be the bench's cost, charged to the bus.
            using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            for (var i = 0; i < pings; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await pinger.SendAsync(frame);
                _ = await pinger.ReceiveAsync(giveUp.Token);
                rtts[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            await stop.CancelAsync();
            await echoing;
            return Result.From(received, elapsed, rtts, send, oneWay) with { SenderThreadAlloc = senderAlloc, ReaderThreadAlloc = readerAlloc, SenderThreadCpu = senderCpu, ReaderThreadCpu = readerCpu };
        }
    }
}
