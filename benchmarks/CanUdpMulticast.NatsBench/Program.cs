using System.Diagnostics;
using System.Globalization;
using CanUdpMulticast;
using CanUdpMulticast.Wire;

// The nats bus against raw NATS.Net publish/subscribe of the same payload through a local nats-server, and against
// the UDP bus: one-way frames/s, RTT p50/p99, managed bytes allocated per frame, and where the CPU goes (this process,
// the server) with the bytes the server receives per frame. Run inside the namespace (docs/benchmarks.md), or
// `scripts/bench.sh --only nats [--runs N]`. Three modes:
//   NatsBench --pairs N [frames] [pings]   N alternating raw/bus pairs (raw, bus, bus, raw, ...), every row in a fresh
//                                          process with a fresh nats-server; per-pair ratios and their median (default)
//   NatsBench --row NAME [frames] [pings]  one row in this process (what --pairs starts); NAME: raw, rawbuf, three, one,
//                                          subbase, tiny, bare, nats, udp
//   NatsBench [frames] [pings]             every row (NATSBENCH_ROWS) in this one process, in a fixed order (the
//                                          bench's earlier form; later rows inherit the earlier rows' garbage)
if (Environment.GetEnvironmentVariable("CANUDP_NETNS") != "1")
{
    Console.Error.WriteLine("run inside the private network namespace: scripts/in-netns.sh ...");
    return 2;
}

var rest = args.AsSpan();
string? singleRow = null;
var pairs = 0;
if (rest.Length >= 2 && rest[0] == "--pairs")
{
    pairs = int.Parse(rest[1], CultureInfo.InvariantCulture);
    rest = rest[2..];
}
else if (rest.Length >= 2 && rest[0] == "--row")
{
    singleRow = rest[1];
    rest = rest[2..];
}

var frames = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : pairs > 0 ? Pairs.DefaultFrames : 100_000;
var pings = rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 5_000;
if (pairs > 0)
{
    return Pairs.Run(pairs, frames, pings);
}

// NATSBENCH_ROWS=raw,three,one,subbase,tiny,bare,nats,udp runs only those rows (for profiling one of them); default: all.
// NATSBENCH_PASSES=N runs the bus rows' one-way N times on the same buses and measures the last (default 2).
string[] only = singleRow is not null ? [singleRow] : Environment.GetEnvironmentVariable("NATSBENCH_ROWS")?.Split(',') ?? ["raw", "three", "one", "subbase", "tiny", "bare", "nats", "udp"];
const int port = 4333, monitorPort = 8333;
using var server = Process.Start(new ProcessStartInfo("nats-server",
    ["-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-m", monitorPort.ToString(CultureInfo.InvariantCulture)])
{ RedirectStandardError = true, RedirectStandardOutput = true })!;
try
{
    Thread.Sleep(500);
    Probe.Server = server;
    Probe.MonitorUrl = $"http://127.0.0.1:{monitorPort}";
    var url = $"nats://127.0.0.1:{port}";
    var frame = new CanMessage { ArbitrationId = 0x123, Data = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 } };
    var payload = new byte[256];
    var length = PythonCanWireFormat.Encode(frame, payload);
    var payloadMemory = payload.AsMemory(0, length);

    if (singleRow is null)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {frames:N0} frames one way, {pings:N0} pings; payload {length} bytes (python-can map, 8 data bytes); {Environment.ProcessorCount} CPUs; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
    }

    for (var round = 0; round < 2; round++)
    {
        // Round 0 warms the JIT; round 1 is reported.
        Settle();
        var raw = only.Contains("raw") ? await RawRows.RunAsync(url, payloadMemory, frames, pings, RawHeaders.None, countingSubscriber: false) : default;
        Settle();
        // raw with the 256 KB send buffer the bus's connection uses (NatsConnectionOptions.WriterBufferSize): a reference,
        // to show how much of the bus's gain from that buffer raw NATS.Net would get from it too.
        var rawBuf = only.Contains("rawbuf") ? await RawRows.RunAsync(url, payloadMemory, frames, pings, RawHeaders.None, countingSubscriber: false, writerBufferSize: 256 << 10) : default;
        Settle();
        var rawThree = only.Contains("three") ? await RawRows.RunAsync(url, payloadMemory, frames, pings, RawHeaders.ThreeFields, countingSubscriber: false) : default;
        Settle();
        var rawOne = only.Contains("one") ? await RawRows.RunAsync(url, payloadMemory, frames, pings, RawHeaders.OneCompact, countingSubscriber: false) : default;
        Settle();
        var rawBase = only.Contains("subbase") ? await RawRows.RunAsync(url, payloadMemory, frames, pings, RawHeaders.FixedCompact, countingSubscriber: true) : default;
        Settle();
        var rawTiny = only.Contains("tiny") ? await RawRows.RunAsync(url, payloadMemory, frames, pings, RawHeaders.FixedTiny, countingSubscriber: true) : default;
        Settle();
        var rawBare = only.Contains("bare") ? await RawRows.RunAsync(url, payloadMemory, frames, pings, RawHeaders.None, countingSubscriber: true) : default;
        Settle();
        var nats = only.Contains("nats") ? await BusRows.NatsAsync(url, frame, frames, pings) : default;
        Settle();
        var udp = only.Contains("udp") ? await BusRows.UdpAsync(frame, frames, pings) : default;
        if (round == 0)
        {
            continue;
        }

        if (singleRow is not null)
        {
            // One machine-readable line for the --pairs orchestrator.
            var result = singleRow switch { "raw" => raw, "rawbuf" => rawBuf, "three" => rawThree, "one" => rawOne, "subbase" => rawBase, "bare" => rawBare, "tiny" => rawTiny, "nats" => nats, _ => udp };
            Console.WriteLine(RowResult.Format(singleRow, result));
            return 0;
        }

        Console.WriteLine("| row | frames/s one way | received | send-only frames/s | RTT p50 µs | RTT p99 µs | alloc B/frame send | alloc B/frame send+receive (sender thread, ReceiveBatch thread) | CPU µs/frame client send-only, one-way | CPU µs/frame server send-only, one-way | server bytes/frame |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Print("raw NATS.Net (byte[] payload, channel)", raw);
        Print("raw NATS.Net, 256 KB send buffer (the bus's)", rawBuf);
        Print("raw NATS.Net + 3 headers (Can-Source, Can-Seq, Can-Time)", rawThree);
        Print("raw NATS.Net + 1 header (Can-Src)", rawOne);
        Print("raw NATS.Net, NatsSubBase counter, reused header", rawBase);
        Print("raw NATS.Net, NatsSubBase counter, reused 1-character header", rawTiny);
        Print("raw NATS.Net, NatsSubBase counter, no header", rawBare);
        Print("nats bus", nats);
        Print("udp_multicast bus", udp);
        Console.WriteLine();
        if (raw.Rate > 0 && nats.Rate > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"nats bus / raw: throughput {nats.Rate / raw.Rate:F2}x, RTT p50 {nats.P50 / raw.P50:F2}x, p99 {nats.P99 / raw.P99:F2}x; " +
            $"receive allocation B/frame: NATS.Net itself (NatsSubBase row) {rawBase.OneWay.Alloc - rawBase.Send.Alloc:F0}, nats bus {nats.OneWay.Alloc - nats.Send.Alloc:F0}"));
        }
    }

    return 0;
}
finally
{
    server.Kill();
    server.WaitForExit();
}

// Each row starts from a collected heap: the header rows leave about 100 MB of garbage behind them (1.1 KB per frame),
// whose collection would otherwise land in whichever row runs next.
static void Settle()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    Thread.Sleep(200);
}

static void Print(string name, Result r)
{
    if (r.Received == 0 && r.Rate == 0)
    {
        return; // not run
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {name} | {r.Rate:N0} | {r.Received:N0} | {r.Send.Rate:N0} | {Cell(r.P50)} | {Cell(r.P99)} | {r.Send.Alloc:F0} | {r.OneWay.Alloc:F0}{(double.IsNaN(r.SenderThreadAlloc) ? "" : $" ({r.SenderThreadAlloc:F0}, {r.ReaderThreadAlloc:F0})")} | {r.Send.ClientCpu:F2}, {r.OneWay.ClientCpu:F2} | {r.Send.ServerCpu:F2}, {r.OneWay.ServerCpu:F2} | {r.OneWay.ServerBytes:F0} |"));
}

static string Cell(double value) => double.IsNaN(value) ? "-" : value.ToString("F0", CultureInfo.InvariantCulture);

/// <summary>One row: one-way rate, RTT percentiles, and the send-only and one-way costs.</summary>
internal readonly record struct Result(double Rate, int Received, double P50, double P99, Cost Send, Cost OneWay)
{
    /// <summary>Bytes allocated per frame by the sending thread during the one-way run (bus rows: one thread sends).</summary>
    public double SenderThreadAlloc { get; init; } = double.NaN;

    /// <summary>CPU µs per frame of the sending thread during the one-way run (bus rows).</summary>
    public double SenderThreadCpu { get; init; } = double.NaN;

    /// <summary>CPU µs per frame of the thread calling ReceiveBatch during the one-way run (bus rows).</summary>
    public double ReaderThreadCpu { get; init; } = double.NaN;

    /// <summary>Bytes allocated per frame by the thread calling ReceiveBatch during the one-way run (bus rows).</summary>
    public double ReaderThreadAlloc { get; init; } = double.NaN;

    public static Result From(int received, TimeSpan elapsed, double[] rtts, Cost send, Cost oneWay)
    {
        if (rtts.Length == 0)
        {
            return new(received / elapsed.TotalSeconds, received, double.NaN, double.NaN, send, oneWay);
        }

        Array.Sort(rtts);
        return new(received / elapsed.TotalSeconds, received, rtts[rtts.Length / 2], rtts[(int)(rtts.Length * 0.99)], send, oneWay);
    }
}
