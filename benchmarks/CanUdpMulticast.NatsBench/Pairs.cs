using System.Diagnostics;
using System.Globalization;

/// <summary>
/// The fair comparison: raw NATS.Net and the nats bus alternate (raw, bus, bus, raw, raw, bus, ...) over N pairs, every
/// row in a fresh process with a fresh nats-server, so that no row inherits another's garbage, warm connections or
/// JIT state, and the VM's speed drift over minutes falls on both sides equally. Each child warms up with a full round
/// of its row and then measures a second one. Reported: every pair's ratios and the median over the pairs.
/// </summary>
internal static class Pairs
{
    /// <summary>Frames per one-way pass when running pairs: long enough (about 0.3-0.5 s) that start-up does not dominate.</summary>
    public const int DefaultFrames = 300_000;

    public static int Run(int pairs, int frames, int pings)
    {
        // NATSBENCH_REFS=subbase,rawbuf,tiny,bare,one,three,udp: reference rows, each once per pair in its own process (default: subbase,
        // what NATS.Net itself costs with the bus's header and a bare subscriber). "none" for no reference rows.
        var refs = (Environment.GetEnvironmentVariable("NATSBENCH_REFS") ?? "subbase").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Where(r => r != "none").ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {pairs} pairs raw/bus, alternating, each row in its own process and nats-server; {frames:N0} frames one way per pass (one warm-up round, one measured), {pings:N0} pings; reference rows: {(refs.Length == 0 ? "none" : string.Join(", ", refs))}; {Environment.ProcessorCount} CPUs; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        Console.WriteLine();
        var results = new List<(RowResult Raw, RowResult Bus, bool RawFirst)>();
        var references = new Dictionary<string, List<RowResult>>();
        Console.WriteLine("| pair | order | raw frames/s | bus frames/s | bus/raw | raw p50 / p99 µs | bus p50 / p99 µs | bus/raw p50 | raw / bus client CPU µs/frame one-way (send-only) | bus sending / ReceiveBatch thread CPU µs/frame | raw / bus server CPU µs/frame | receive alloc B/frame raw / bus (bus ReceiveBatch thread) | load |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (var pair = 0; pair < pairs; pair++)
        {
            var rawFirst = pair % 2 == 0;
            RowResult raw, bus;
            if (rawFirst)
            {
                raw = RunChild("raw", frames, pings);
                bus = RunChild("nats", frames, pings);
            }
            else
            {
                bus = RunChild("nats", frames, pings);
                raw = RunChild("raw", frames, pings);
            }

            results.Add((raw, bus, rawFirst));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {pair + 1} | {(rawFirst ? "raw, bus" : "bus, raw")} | {raw.Rate:N0} | {bus.Rate:N0} | {bus.Rate / raw.Rate:F2}x | {raw.P50:F0} / {raw.P99:F0} | {bus.P50:F0} / {bus.P99:F0} | {bus.P50 / raw.P50:F2}x | {raw.ClientCpu:F2} / {bus.ClientCpu:F2} ({raw.SendCpu:F2} / {bus.SendCpu:F2}) | {bus.SenderThreadCpu:F2} / {bus.ReaderThreadCpu:F2} | {raw.ServerCpu:F2} / {bus.ServerCpu:F2} | {raw.ReceiveAlloc:F0} / {bus.ReceiveAlloc:F0} ({bus.ReaderThreadAlloc:F0}) | {bus.LoadAverage} |"));
            foreach (var name in refs)
            {
                var r = RunChild(name, frames, pings);
                if (!references.TryGetValue(name, out var list))
                {
                    references[name] = list = [];
                }

                list.Add(r);
            }
        }

        Console.WriteLine();
        var throughput = results.Select(p => p.Bus.Rate / p.Raw.Rate).ToArray();
        var p50 = results.Select(p => p.Bus.P50 / p.Raw.P50).ToArray();
        var p99 = results.Select(p => p.Bus.P99 / p.Raw.P99).ToArray();
        var cpu = results.Select(p => p.Bus.ClientCpu / p.Raw.ClientCpu).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"**nats bus / raw NATS.Net over {pairs} pairs, median (min-max): throughput {Median(throughput):F2}x ({throughput.Min():F2}-{throughput.Max():F2}), " +
            $"RTT p50 {Median(p50):F2}x ({p50.Min():F2}-{p50.Max():F2}), RTT p99 {Median(p99):F2}x ({p99.Min():F2}-{p99.Max():F2}); " +
            $"client CPU per frame {Median(cpu):F2}x.** Medians of the rows: raw {Median(results.Select(p => p.Raw.Rate)):N0} frames/s, " +
            $"bus {Median(results.Select(p => p.Bus.Rate)):N0} frames/s; raw p50 {Median(results.Select(p => p.Raw.P50)):F0} µs, bus p50 {Median(results.Select(p => p.Bus.P50)):F0} µs."));
        if (references.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| reference row (median over pairs) | frames/s | RTT p50 / p99 µs | client / server CPU µs/frame one-way (client send-only) | alloc B/frame send; receive | runs |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, list) in references)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {Median(list.Select(r => r.Rate)):N0} | {Micros(Median(list.Select(r => r.P50)))} / {Micros(Median(list.Select(r => r.P99)))} | {Median(list.Select(r => r.ClientCpu)):F2} / {Median(list.Select(r => r.ServerCpu)):F2} ({Median(list.Select(r => r.SendCpu)):F2}) | {Median(list.Select(r => r.SendAlloc)):F0}; {Median(list.Select(r => r.ReceiveAlloc)):F0} | {list.Count} |"));
            }
        }

        return 0;
    }

    private static RowResult RunChild(string row, int frames, int pings)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Pairs).Assembly.Location); // started as `dotnet NatsBench.dll`, not the apphost
        }

        start.ArgumentList.Add("--row");
        start.ArgumentList.Add(row);
        start.ArgumentList.Add(frames.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(pings.ToString(CultureInfo.InvariantCulture));
        using var child = Process.Start(start)!;
        var error = child.StandardError.ReadToEndAsync();
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        foreach (var line in output.Split('\n'))
        {
            if (RowResult.TryParse(line.TrimEnd('\r'), out var result))
            {
                return result;
            }
        }

        throw new InvalidOperationException($"row {row} (exit code {child.ExitCode}) printed no result:\n{output}\n{error.Result}");
    }

    private static string Micros(double value) => double.IsNaN(value) ? "-" : value.ToString("F0", CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
