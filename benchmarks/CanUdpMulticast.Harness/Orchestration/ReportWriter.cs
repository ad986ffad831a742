using System.Globalization;
using System.Text;

namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>Turns the runs into one Markdown report: machine facts, the three tables with ratios, and the targets.</summary>
internal sealed class ReportWriter
{
    private readonly Settings _settings;
    private readonly MachineFacts _facts;
    private readonly IReadOnlyList<RunRecord> _runs;
    private readonly StringBuilder _text = new();

    public ReportWriter(Settings settings, MachineFacts facts, IReadOnlyList<RunRecord> runs)
    {
        _settings = settings;
        _facts = facts;
        _runs = runs;
    }

    public string Write()
    {
        Line("## Loopback harness results");
        Line();
        Line(Inv($"Machine: {_facts.ProcessorCount} CPUs ({_facts.Cpu}), Linux {_facts.Kernel}, .NET SDK {_facts.DotnetSdk} ({_facts.Runtime}), python-can {_facts.PythonCan} (/usr/bin/python3). "));
        Line(Inv($"Run started {_facts.Started:yyyy-MM-dd HH:mm zzz}; load average (1/5/15 min) {_facts.LoadBefore} before, {_facts.LoadAfter} after. "));
        Line(Inv($"Settings: {_settings.Reps} repetition(s), values are median [min–max]; {_settings.Frames} frames per throughput run; .NET warm-up {_settings.DotnetWarmup} s (RTT pingers: and until the JIT has compiled nothing for 0.5 s), python {_settings.PythonWarmup} s; {_settings.Pings} pings per RTT run; the row pairs that targets 3a, 3b, 4, 11.a, 11.b and 11.c compare run {_settings.JudgedPairs}x per repetition, alternating; fan-out {_settings.FanOutReceivers} receivers at {_settings.FanOutRate} frames/s for {_settings.FanOutSeconds} s.{(_settings.Quick ? " QUICK RUN (development only, not for the record)." : "")}"));
        Line();
        CodecTable();
        ThroughputTable();
        SaturatedTable();
        BacklogTable();
        RoundTripTable();
        FanOutTable();
        JitterTable();
        Targets.Write(_text, this);
        var failures = _runs.Where(r => r.Error is not null).ToList();
        if (failures.Count > 0)
        {
            Line("### Failed runs");
            Line();
            foreach (var failure in failures)
            {
                Line(Inv($"- {failure.Scenario} {failure.System} {failure.Placement} rep {failure.Rep}: {failure.Error?.ReplaceLineEndings(" ")}"));
            }

            Line();
        }

        return _text.ToString();
    }

    /// <summary>The median of a metric over the successful repetitions of one row, or NaN.</summary>
    public double Median(string scenario, string system, string metric, string? placement = null) => Values(scenario, system, metric, placement) is { Length: > 0 } v
        ? MedianOf(v)
        : double.NaN;

    public bool Has(string scenario, string system) => _runs.Any(r => r.Scenario == scenario && r.System == system && r.Error is null);

    private double[] Values(string scenario, string system, string metric, string? placement) => _runs
        .Where(r => r.Scenario == scenario && r.System == system && r.Error is null && (placement is null || r.Placement == placement) && r.Metrics.ContainsKey(metric))
        .Select(r => r.Metrics[metric])
        .ToArray();

    private static double MedianOf(double[] values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private string Cell(string scenario, string system, string metric, Func<double, string> format, string? placement = null)
    {
        var values = Values(scenario, system, metric, placement);
        if (values.Length == 0)
        {
            return "failed";
        }

        var median = format(MedianOf(values));
        return values.Length == 1 ? median : $"{median} [{format(values.Min())}–{format(values.Max())}]";
    }

    public static string Ratio(double value, double baseline) => double.IsNaN(value) || double.IsNaN(baseline) || baseline == 0
        ? "–"
        : Inv($"{value / baseline:F2}x");

    private static string Rate(double v) => Inv($"{v / 1e3:F1}k");

    private static string Percent(double v) => Inv($"{v * 100:F2} %");

    private static string Micro(double v) => Inv($"{v:F2} µs");

    private static string Micro1(double v) => Inv($"{v:F1} µs");

    private void CodecTable()
    {
        const string s = "codec";
        if (!Has(s, SystemUnderTest.Python) && !Has(s, "lib"))
        {
            return;
        }

        Line("### Codec per classic 8-byte frame (CPU time per operation, one process pinned to CPU 1; python-can's functions as its bus calls them)");
        Line();
        Line("| codec | encode | decode + validate | allocated per operation | encode vs python-can | decode vs python-can |");
        Line("|---|---|---|---|---|---|");
        var pyEncode = Median(s, SystemUnderTest.Python, "encode_ns");
        var pyDecode = Median(s, SystemUnderTest.Python, "decode_ns");
        foreach (var row in SystemUnderTest.Codec.Where(r => Has(s, r.Key)))
        {
            var alloc = row.IsPython ? "(not measured)" : Cell(s, row.Key, "allocated_bytes_per_op", v => Inv($"{v:F1} B"));
            Line($"| {row.Label} | {Cell(s, row.Key, "encode_ns", Nano)} | {Cell(s, row.Key, "decode_ns", Nano)} | {alloc} | {Speedup(pyEncode, Median(s, row.Key, "encode_ns"))} | {Speedup(pyDecode, Median(s, row.Key, "decode_ns"))} |");
        }

        Line();
    }

    /// <summary>How many times faster <paramref name="value"/> is than <paramref name="baseline"/> (both times).</summary>
    public static string Speedup(double baseline, double value) => double.IsNaN(value) || double.IsNaN(baseline) || value == 0
        ? "–"
        : Inv($"{baseline / value:F1}x faster");

    private static string Nano(double v) => Inv($"{v:F0} ns");

    private void ThroughputTable()
    {
        const string s = "throughput";
        var rows = SystemUnderTest.Throughput.Where(r => _runs.Any(x => x.Scenario == s && x.System == r.Key)).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        Line(Inv($"### One-way throughput ({_settings.Frames} classic frames, separate processes, sender on CPU 0, receiver on CPU 1)"));
        Line();
        Line("| system | send frames/s | recv frames/s | loss | receiver CPU per frame | allocated per frame (send / recv) | send vs raw SendTo | send vs raw sendmmsg | recv vs python-can | CPU/frame vs python-can |");
        Line("|---|---|---|---|---|---|---|---|---|---|");
        var rawSend = Median(s, SystemUnderTest.Raw, "send_rate");
        var mmsgSend = Median(s, SystemUnderTest.Mmsg, "send_rate");
        var pyRecv = Median(s, SystemUnderTest.Python, "recv_rate");
        var pyCpu = Median(s, SystemUnderTest.Python, "cpu_us_per_frame");
        foreach (var row in rows)
        {
            var send = Median(s, row.Key, "send_rate");
            var alloc = row.IsPython ? "–" : $"{Inv($"{Median(s, row.Key, "send_alloc_bytes_per_frame"):F2}")} / {Inv($"{Median(s, row.Key, "alloc_bytes_per_frame"):F2}")} B";
            Line($"| {row.Label} | {Cell(s, row.Key, "send_rate", Rate)} | {Cell(s, row.Key, "recv_rate", Rate)} | {Cell(s, row.Key, "loss", Percent)} | {Cell(s, row.Key, "cpu_us_per_frame", Micro)} | {alloc} | {Ratio(send, rawSend)} | {Ratio(send, mmsgSend)} | {Ratio(Median(s, row.Key, "recv_rate"), pyRecv)} | {Ratio(Median(s, row.Key, "cpu_us_per_frame"), pyCpu)} |");
        }

        Line();
        Line("Send rate: measured frames / the sender's time to hand them all to the kernel. Receive rate: frames / time from the first to the last measured frame the receiver got. Loss: 1 − received / sent. Receiver CPU per frame: the receiver process's user+system time (all threads, getrusage) from its first to its last measured frame, divided by the frames it received. python-can's receiver uses the kernel's default receive buffer (python-can does not set one); the .NET rows use 1 MiB.");
        Line();
    }

    private void SaturatedTable() => ReceiverTable(
        "saturated",
        Inv($"### Fast sender ({_settings.Frames} frames from a raw sendmmsg sender on CPU 0, as fast as it sends, receiver on CPU 1)"),
        "The fastest sender here: a receiver that gets less than 100 % runs flat out (its received frames/s is its capacity); a receiver that gets 100 % keeps up, so it waits for frames between bursts and its CPU per frame includes those waits (for the asynchronous APIs a wake-up through the runtime's socket engine each time). On this machine the kernel's send path (which also delivers to the receiving socket) costs the sender more per frame than a .NET receiver spends, so only python-can is saturated here; the backlog table below saturates every receiver.");

    private void BacklogTable() => ReceiverTable(
        "backlog",
        Inv($"### Saturated receiver: draining a backlog ({_settings.Frames} frames queued by a raw sendmmsg sender on CPU 0 while the receiver on CPU 1 waits)"),
        Inv($"After its warm-up the receiver stops reading at the first measured frame; the sender sends every measured frame into the receiver's socket (a receive buffer of 2 KiB per frame, forced above rmem_max as root, python-can's too); then the receiver drains the queue. It always finds frames waiting, so this is every receiver's capacity and full CPU cost per frame, for python-can as for the library (received must be 100 %: otherwise the buffer was too small). Received frames/s counts from the go signal to the last frame; CPU per frame excludes the first frame (read before the pause; a batch receiver may have read up to 63 more with it, at most {63.0 / _settings.Frames:P2} of the frames)."));

    private void ReceiverTable(string s, string title, string footnote)
    {
        var rows = SystemUnderTest.Saturated.Where(r => _runs.Any(x => x.Scenario == s && x.System == r.Key)).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        Line(title);
        Line();
        Line("| receiver | sent frames/s | received frames/s | received | CPU per received frame | allocated per frame | received/s vs python-can | CPU/frame vs python-can |");
        Line("|---|---|---|---|---|---|---|---|");
        var pyRecv = Median(s, SystemUnderTest.Python, "recv_rate");
        var pyCpu = Median(s, SystemUnderTest.Python, "cpu_us_per_frame");
        foreach (var row in rows)
        {
            var alloc = row.ReceiveImpl == "python" ? "–" : Inv($"{Median(s, row.Key, "alloc_bytes_per_frame"):F2} B");
            Line($"| {row.Label} | {Cell(s, row.Key, "send_rate", Rate)} | {Cell(s, row.Key, "recv_rate", Rate)} | {Cell(s, row.Key, "loss", v => Inv($"{(1 - v) * 100:F1} %"))} | {Cell(s, row.Key, "cpu_us_per_frame", Micro)} | {alloc} | {Ratio(Median(s, row.Key, "recv_rate"), pyRecv)} | {Ratio(Median(s, row.Key, "cpu_us_per_frame"), pyCpu)} |");
        }

        Line();
        Line(footnote);
        Line();
    }

    private void RoundTripTable()
    {
        const string s = "rtt";
        var rows = SystemUnderTest.RoundTrip.Where(r => _runs.Any(x => x.Scenario == s && x.System == r.Key)).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        Line("### Ping-pong round trip (one frame out, one frame back; separate processes)");
        Line();
        Line("| system | p50 across CPUs | p99 across CPUs | p50 one CPU | p99 one CPU | vs raw across (p50 / p99) | vs raw one CPU (p50 / p99) |");
        Line("|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            Line($"| {row.Label} | {Cell(s, row.Key, "rtt_p50_us", Micro1, Placement.Across)} | {Cell(s, row.Key, "rtt_p99_us", Micro1, Placement.Across)} | {Cell(s, row.Key, "rtt_p50_us", Micro1, Placement.OneCpu)} | {Cell(s, row.Key, "rtt_p99_us", Micro1, Placement.OneCpu)} | {RttRatio(row.Key, Placement.Across)} | {RttRatio(row.Key, Placement.OneCpu)} |");
        }

        Line();
        if (rows.Any(r => r.Key == "raw-async") && rows.Any(r => r.Key == LibrarySystems.Async))
        {
            Line($"The asynchronous APIs against raw .NET async sockets (the same runtime socket engine): across CPUs {RttRatio(LibrarySystems.Async, Placement.Across, "raw-async")}, one CPU {RttRatio(LibrarySystems.Async, Placement.OneCpu, "raw-async")} (p50 / p99).");
            Line();
        }

        Line("Both sides use one group and port, as two python-can buses would: each also receives its own frame back (multicast loopback) and skips it (python-can and the raw baselines after reading it, the library drops it in the kernel with a socket filter on its send address and port).");
        Line();
    }

    public string RttRatio(string system, string placement, string baseline = SystemUnderTest.Raw)
    {
        const string s = "rtt";
        return $"{Ratio(Median(s, system, "rtt_p50_us", placement), Median(s, baseline, "rtt_p50_us", placement))} / {Ratio(Median(s, system, "rtt_p99_us", placement), Median(s, baseline, "rtt_p99_us", placement))}";
    }

    private void FanOutTable()
    {
        const string s = "fanout";
        var rows = SystemUnderTest.FanOut.Where(r => _runs.Any(x => x.Scenario == s && x.System == r.Key)).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        Line(Inv($"### Fan-out: 1 sender, {_settings.FanOutReceivers} receiving processes, {_settings.FanOutRate} frames/s each, all on {_facts.ProcessorCount} CPUs (unpinned)"));
        Line();
        Line("| system | frames sent | worst receiver's loss | receiver CPU per frame (mean of 4) | sender CPU per frame | receiver CPU vs python-can |");
        Line("|---|---|---|---|---|---|");
        var pyCpu = Median(s, SystemUnderTest.Python, "cpu_us_per_frame");
        foreach (var row in rows)
        {
            Line($"| {row.Label} | {Cell(s, row.Key, "sent", v => Inv($"{v:F0}"))} | {Cell(s, row.Key, "worst_loss", v => Inv($"{v * 100:F3} %"))} | {Cell(s, row.Key, "cpu_us_per_frame", Micro)} | {Cell(s, row.Key, "send_cpu_us_per_frame", Micro)} | {Ratio(Median(s, row.Key, "cpu_us_per_frame"), pyCpu)} |");
        }

        Line();
    }

    private void JitterTable()
    {
        const string s = "jitter";
        var rows = SystemUnderTest.Jitter.Where(r => _runs.Any(x => x.Scenario == s && x.System == r.Key)).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        Line("### Periodic send jitter (sender process → a UdpMulticastBus receiver with kernel timestamps; unpinned)");
        Line();
        Line("| sender | period | frames (expected) | deviation from ideal schedule p50 | p99 | max | interval error p50 | p99 | max | mean period |");
        Line("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (periodMs, count) in _settings.JitterRuns)
        {
            var placement = Orchestrator.JitterPlacement(periodMs);
            foreach (var row in rows)
            {
                string C(string metric, Func<double, string> f) => Cell(s, row.Key, metric, f, placement);
                Line(Inv($"| {row.Label} | {periodMs} ms | {C("frames", v => Inv($"{v:F0}"))} ({count}) | {C("dev_p50_us", Micro1)} | {C("dev_p99_us", Micro1)} | {C("dev_max_us", Micro1)} | {C("interval_err_p50_us", Micro1)} | {C("interval_err_p99_us", Micro1)} | {C("interval_err_max_us", Micro1)} | {C("mean_period_us", Micro1)} |"));
            }
        }

        Line();
        Line("Start of the schedule (issue 11, item 7; the cold row is a fresh process whose first periodic task this is, after one plain send):");
        Line();
        Line("| sender | period | SendPeriodic call took | first frame after the call | second slot's interval error | largest interval error, first 5 slots |");
        Line("|---|---|---|---|---|---|");
        foreach (var (periodMs, _) in _settings.JitterRuns)
        {
            var placement = Orchestrator.JitterPlacement(periodMs);
            foreach (var row in rows)
            {
                string C(string metric, Func<double, string> f) => Cell(s, row.Key, metric, f, placement);
                Line(Inv($"| {row.Label} | {periodMs} ms | {C("call_us", Micro1)} | {C("first_late_us", Micro1)} | {C("slot2_err_us", Micro1)} | {C("early_interval_err_max_us", Micro1)} |"));
            }
        }

        Line();
        Line("Deviation: |t_k − (φ + k·T)| with t_k the receiver's kernel timestamp of frame k and φ the median of t_k − k·T: how far each frame is from the drift-free schedule that fits the frames best (a sender that schedules each send relative to the previous one drifts, and its deviation grows with k). Interval error: |(t_k − t_(k−1)) − T|. Mean period: (t_last − t_first) / (frames − 1).");
        Line();
    }

    private void Line(string text = "") => _text.Append(text).Append('\n');

    public static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
