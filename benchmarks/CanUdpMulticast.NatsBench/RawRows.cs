using System.Diagnostics;
using System.Globalization;
using NATS.Client.Core;

/// <summary>Which headers a raw NATS.Net row sends with each frame.</summary>
internal enum RawHeaders
{
    /// <summary>None (a PUB/MSG).</summary>
    None,

    /// <summary>The bus's headers before issue 13's performance pass: three keys, a new NatsHeaders and two new strings per frame.</summary>
    ThreeFields,

    /// <summary>The bus's one header (<c>Can-Src: source.sequence.time</c>), a new NatsHeaders and string per frame.</summary>
    OneCompact,

    /// <summary>One header object with a fixed value, reused (nothing allocated per frame for it).</summary>
    FixedCompact,

    /// <summary>A reused one-character header (<c>C: 1</c>, an 18-byte block against the bus's 62): what HPUB/HMSG
    /// costs apart from the header's length.</summary>
    FixedTiny,
}

/// <summary>Raw NATS.Net publish/subscribe rows: the reference the bus is measured against.</summary>
internal static class RawRows
{
    // writerBufferSize: the publisher's NATS.Net send buffer; null for NATS.Net's default (every row but rawbuf, which
    // gives raw the 256 KB buffer the bus's connection uses).
    public static async Task<Result> RunAsync(string url, ReadOnlyMemory<byte> payload, int frames, int pings, RawHeaders mode, bool countingSubscriber, int? writerBufferSize = null)
    {
        long sequence = 0;
        var fixedHeaders = mode == RawHeaders.FixedTiny
            ? new NatsHeaders { ["C"] = "1" }
            : new NatsHeaders { ["Can-Src"] = "00000000000000AB.00000001.0000000000001" };
        NatsHeaders? Headers()
        {
            var time = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
            return mode switch
            {
                RawHeaders.ThreeFields => new NatsHeaders
                {
                    ["Can-Source"] = "00000000000000AB",
                    ["Can-Seq"] = (++sequence).ToString(CultureInfo.InvariantCulture),
                    ["Can-Time"] = time.ToString(CultureInfo.InvariantCulture),
                },
                RawHeaders.OneCompact => new NatsHeaders { ["Can-Src"] = string.Create(CultureInfo.InvariantCulture, $"00000000000000AB.{++sequence:X8}.{time:X13}") },
                RawHeaders.FixedCompact or RawHeaders.FixedTiny => fixedHeaders,
                _ => null,
            };
        }

        await using var pub = new NatsConnection(new NatsOpts { Url = url, WriterBufferSize = writerBufferSize ?? NatsOpts.Default.WriterBufferSize });
        await using var sub = new NatsConnection(new NatsOpts { Url = url, SubPendingChannelCapacity = 1 << 20 });
        await pub.ConnectAsync();
        await sub.ConnectAsync();

        // Send-only (no subscriber): what sending costs, and how fast the client takes frames.
        var before = await Probe.TakeAsync();
        for (var i = 0; i < frames; i++)
        {
            await pub.PublishAsync("raw.none", payload, Headers());
        }

        await pub.PingAsync();
        var send = before.To(await Probe.TakeAsync(), frames);

        int received;
        TimeSpan elapsed;
        Cost oneWay;
        if (countingSubscriber)
        {
            // The subject has the length of the bus's ("can.oneway.s.1.2.3"): NATS.Net allocates it per message.
            var counter = new CountingSubscription(sub, "can.rawrow.s.1.2.3");
            await sub.AddSubAsync(counter);
            await sub.PingAsync();
            elapsed = TimeSpan.Zero;
            oneWay = default;
            received = 0;
            for (var pass = 0; pass < 2; pass++)
            {
                // Pass 0 warms up; pass 1 is measured (the same for every row).
                counter.Expect(frames);
                before = await Probe.TakeAsync();
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < frames; i++)
                {
                    await pub.PublishAsync("can.rawrow.s.1.2.3", payload, Headers());
                }

                await Task.WhenAny(counter.Done.Task, Task.Delay(TimeSpan.FromSeconds(10)));
                elapsed = watch.Elapsed;
                oneWay = before.To(await Probe.TakeAsync(), frames);
                received = counter.Count;
            }

            await counter.DisposeAsync();
            return Result.From(received, elapsed, [], send, oneWay);
        }

        await using var subscription = await sub.SubscribeCoreAsync<byte[]>("raw.oneway");
        await sub.PingAsync();
        received = 0;
        elapsed = TimeSpan.Zero;
        oneWay = default;
        for (var pass = 0; pass < 2; pass++)
        {
            // Pass 0 warms up (and grows the subscription's channel); pass 1 is measured.
            var count = 0;
            before = await Probe.TakeAsync();
            var stopwatch = Stopwatch.StartNew();
            var reader = Task.Run(async () =>
            {
                using var idle = new CancellationTokenSource();
                while (count < frames)
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

                    count++;
                    idle.TryReset();
                }
            });
            for (var i = 0; i < frames; i++)
            {
                await pub.PublishAsync("raw.oneway", payload, Headers());
            }

            await reader;
            elapsed = stopwatch.Elapsed;
            oneWay = before.To(await Probe.TakeAsync(), frames);
            received = count;
        }

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
        return Result.From(received, elapsed, rtts, send, oneWay);
    }
}
