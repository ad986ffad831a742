using System.Diagnostics;
using System.Globalization;
using CanUdpMulticast;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Nats;
using CanUdpMulticast.Wire;
using NATS.Client.Core;

// The nats bus against raw NATS.Net publish/subscribe of the same payload through the same local nats-server, and
// against the UDP bus: one-way frames/s, RTT p50/p99, managed bytes allocated per frame. Run inside the namespace:
//   scripts/in-netns.sh dotnet benchmarks/CanUdpMulticast.NatsBench/bin/Release/net10.0/CanUdpMulticast.NatsBench.dll [frames] [pings]
if (Environment.GetEnvironmentVariable("CANUDP_NETNS") != "1")
{
    Console.Error.WriteLine("run inside the private network namespace: scripts/in-netns.sh ...");
    return 2;
}

var frames = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var pings = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5_000;
var port = 4333;
var dir = Directory.CreateTempSubdirectory("natsbench-").FullName;
using var server = Process.Start(new ProcessStartInfo("nats-server", ["-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
try
{
    Thread.Sleep(500);
    var url = $"nats://127.0.0.1:{port}";
    var frame = new CanMessage { ArbitrationId = 0x123, Data = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 } };
    var payload = new byte[256];
    var length = PythonCanWireFormat.Encode(frame, payload);
    var payloadMemory = payload.AsMemory(0, length);

    Console.WriteLine($"# {frames:N0} frames one way, {pings:N0} pings; payload {length} bytes (python-can map, 8 data bytes); {Environment.ProcessorCount} CPUs");
    Console.WriteLine("| row | frames/s one way | received | RTT p50 µs | RTT p99 µs | alloc B/frame send | alloc B/frame send+receive |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    for (var round = 0; round < 2; round++)
    {
        // Round 0 warms the JIT; round 1 is reported.
        var raw = await RawAsync(url, payloadMemory, frames, pings, withHeaders: false);
        var rawHeaders = await RawAsync(url, payloadMemory, frames, pings, withHeaders: true);
        var nats = await NatsBusAsync(url, frame, frames, pings);
        var udp = await UdpAsync(frame, frames, pings);
        if (round == 1)
        {
            Print("raw NATS.Net (byte[] payload)", raw);
            Print("raw NATS.Net + the bus's 3 headers", rawHeaders);
            Print("nats bus", nats);
            Print("udp_multicast bus", udp);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nats bus / raw: throughput {nats.Rate / raw.Rate:F2}x, RTT p50 {nats.P50 / raw.P50:F2}x, p99 {nats.P99 / raw.P99:F2}x; receive-side allocation beyond raw: {nats.AllocTotal - nats.AllocSend - (raw.AllocTotal - raw.AllocSend):F0} B/frame"));
        }
    }

    return 0;
}
finally
{
    server.Kill();
    server.WaitForExit();
    Directory.Delete(dir, true);
}

static void Print(string name, Result r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {name} | {r.Rate:N0} | {r.Received:N0} | {r.P50:F0} | {r.P99:F0} | {r.AllocSend:F0} | {r.AllocTotal:F0} |"));

static async Task<Result> RawAsync(string url, ReadOnlyMemory<byte> payload, int frames, int pings, bool withHeaders)
{
    long sequence = 0;
    NatsHeaders? Headers() => withHeaders
        ? new NatsHeaders
        {
            [NatsFrameHeaders.Source] = "00000000000000AB",
            [NatsFrameHeaders.Sequence] = (++sequence).ToString(CultureInfo.InvariantCulture),
            [NatsFrameHeaders.SendTime] = ((DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10).ToString(CultureInfo.InvariantCulture),
        }
        : null;

    await using var pub = new NatsConnection(new NatsOpts { Url = url });
    await using var sub = new NatsConnection(new NatsOpts { Url = url, SubPendingChannelCapacity = 1 << 20 });
    await pub.ConnectAsync();
    await sub.ConnectAsync();

    // Send-only allocation (no subscriber).
    var before = GC.GetTotalAllocatedBytes(true);
    for (var i = 0; i < frames; i++)
    {
        await pub.PublishAsync("raw.none", payload, Headers());
    }

    await pub.PingAsync();
    var allocSend = (GC.GetTotalAllocatedBytes(true) - before) / (double)frames;

    await using var subscription = await sub.SubscribeCoreAsync<byte[]>("raw.oneway");
    await sub.PingAsync();
    var received = 0;
    before = GC.GetTotalAllocatedBytes(true);
    var watch = Stopwatch.StartNew();
    var reader = Task.Run(async () =>
    {
        using var idle = new CancellationTokenSource();
        while (received < frames)
        {
            idle.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                _ = await subscription.Msgs.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            received++;
            idle.TryReset();
        }
    });
    for (var i = 0; i < frames; i++)
    {
        await pub.PublishAsync("raw.oneway", payload, Headers());
    }

    await reader;
    var elapsed = watch.Elapsed;
    var allocTotal = (GC.GetTotalAllocatedBytes(true) - before) / (double)frames;

    // RTT: ping on raw.a, an echo answers on raw.b.
    await using var echoIn = await sub.SubscribeCoreAsync<byte[]>("raw.a");
    await using var pongs = await pub.SubscribeCoreAsync<byte[]>("raw.b");
    await sub.PingAsync();
    await pub.PingAsync();
    using var stop = new CancellationTokenSource();
    var echo = Task.Run(async () =>
    {
        try
        {
            await foreach (var m in echoIn.Msgs.ReadAllAsync(stop.Token))
            {
                await sub.PublishAsync("raw.b", m.Data, m.Headers);
            }
        }
        catch (OperationCanceledException)
        {
        }
    });
    var rtts = new double[pings];
    for (var i = 0; i < pings; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await pub.PublishAsync("raw.a", payload, Headers());
        await pongs.Msgs.ReadAsync();
        rtts[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    await stop.CancelAsync();
    await echo;
    return Result.From(received, elapsed, rtts, allocSend, allocTotal);
}

static async Task<Result> NatsBusAsync(string url, CanMessage frame, int frames, int pings)
{
    NatsBusOptions Options(string bus) => new() { Servers = [url], Bus = bus, ReceiveQueueCapacity = 1 << 20 };
    using var none = new NatsBus(Options("none"));
    var before = GC.GetTotalAllocatedBytes(true);
    for (var i = 0; i < frames; i++)
    {
        none.Send(frame);
    }

    var allocSend = (GC.GetTotalAllocatedBytes(true) - before) / (double)frames;
    using var receiver = new NatsBus(Options("oneway"));
    using var sender = new NatsBus(Options("oneway"));
    var result = await OneWayAndRtt(sender, receiver, frame, frames, pings, allocSend,
        new NatsBus(Options("rtt.a")), new NatsBus(Options("rtt.a")), new NatsBus(Options("rtt.b")), new NatsBus(Options("rtt.b")));
    return result;
}

static async Task<Result> UdpAsync(CanMessage frame, int frames, int pings)
{
    UdpMulticastBusOptions Options(string group) => new() { Channel = group, HopLimit = 0, ReceiveBufferSize = 8 << 20 };
    using var none = new UdpMulticastBus(Options("239.74.163.9"));
    var before = GC.GetTotalAllocatedBytes(true);
    for (var i = 0; i < frames; i++)
    {
        none.Send(frame);
    }

    var allocSend = (GC.GetTotalAllocatedBytes(true) - before) / (double)frames;
    using var receiver = new UdpMulticastBus(Options("239.74.163.10"));
    using var sender = new UdpMulticastBus(Options("239.74.163.10"));
    return await OneWayAndRtt(sender, receiver, frame, frames, pings, allocSend,
        new UdpMulticastBus(Options("239.74.163.11")), new UdpMulticastBus(Options("239.74.163.11")), new UdpMulticastBus(Options("239.74.163.12")), new UdpMulticastBus(Options("239.74.163.12")));
}

static async Task<Result> OneWayAndRtt(CanBus sender, CanBus receiver, CanMessage frame, int frames, int pings, double allocSend, CanBus pingOut, CanBus echoIn, CanBus echoOut, CanBus pongIn)
{
    using (pingOut)
    using (echoIn)
    using (echoOut)
    using (pongIn)
    {
        var received = 0;
        var before = GC.GetTotalAllocatedBytes(true);
        var watch = Stopwatch.StartNew();
        var reader = new Thread(() =>
        {
            var batch = new CanMessage[64];
            while (received < frames)
            {
                var n = receiver.ReceiveBatch(batch, TimeSpan.FromSeconds(2));
                if (n == 0)
                {
                    break;
                }

                received += n;
            }
        });
        reader.Start();
        for (var i = 0; i < frames; i++)
        {
            sender.Send(frame);
        }

        reader.Join();
        var elapsed = watch.Elapsed;
        var allocTotal = (GC.GetTotalAllocatedBytes(true) - before) / (double)frames;

        using var stop = new CancellationTokenSource();
        var echo = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var m = await echoIn.ReceiveAsync(stop.Token);
                    await echoOut.SendAsync(m);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var rtts = new double[pings];
        for (var i = 0; i < pings; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await pingOut.SendAsync(frame);
            if (await pongIn.ReceiveAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(2)) is var _)
            {
                rtts[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }

        await stop.CancelAsync();
        await echo;
        return Result.From(received, elapsed, rtts, allocSend, allocTotal);
    }
}

internal readonly record struct Result(double Rate, int Received, double P50, double P99, double AllocSend, double AllocTotal)
{
    public static Result From(int received, TimeSpan elapsed, double[] rtts, double allocSend, double allocTotal)
    {
        Array.Sort(rtts);
        return new(received / elapsed.TotalSeconds, received, rtts[rtts.Length / 2], rtts[(int)(rtts.Length * 0.99)], allocSend, allocTotal);
    }
}
