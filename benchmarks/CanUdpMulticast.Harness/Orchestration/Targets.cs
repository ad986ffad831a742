using System.Text;
using static CanUdpMulticast.Harness.Orchestration.ReportWriter;

namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>Issue 4's targets, each evaluated from the medians of this run (the library's rows against the baselines).</summary>
internal static class Targets
{
    public static void Write(StringBuilder text, ReportWriter r)
    {
        var rows = new List<(string Target, string Measured, bool? Met)>();
        const string lib = "lib";
        const string sync = LibrarySystems.Sync;
        const string batch = LibrarySystems.Batch;
        const string py = SystemUnderTest.Python;
        const string raw = SystemUnderTest.Raw;

        if (r.Has("codec", lib) && r.Has("codec", py))
        {
            double E(string s) => r.Median("codec", s, "encode_ns");
            double D(string s) => r.Median("codec", s, "decode_ns");
            var alloc = r.Median("codec", lib, "allocated_bytes_per_op");
            rows.Add(("1. Codec: encode ≤ 60 ns, decode+validate ≤ 100 ns, 0 B, ≥ 15x python-can",
                Inv($"encode {E(lib):F0} ns ({E(py) / E(lib):F1}x), decode {D(lib):F0} ns ({D(py) / D(lib):F1}x), {alloc:F3} B/op"),
                E(lib) <= 60 && D(lib) <= 100 && alloc < 0.001 && E(py) / E(lib) >= 15 && D(py) / D(lib) >= 15));
        }

        if (r.Has("throughput", sync) && r.Has("throughput", raw))
        {
            var ratio = r.Median("throughput", sync, "send_rate") / r.Median("throughput", raw, "send_rate");
            rows.Add(("3a. Send (1 frame/call) ≥ 0.95x raw SendTo", Inv($"{ratio:F2}x"), ratio >= 0.95));
        }

        if (r.Has("throughput", SystemUnderTest.Mmsg) && (r.Has("throughput", batch) || r.Has("throughput", SystemUnderTest.BatchToMmsg)))
        {
            // A sender's rate also depends on its receiver (the kernel delivers and wakes it in the sender's context): the
            // send API is judged against raw sendmmsg into the same raw recvmmsg receiver; each API into its own receiver is shown.
            var mmsgRate = r.Median("throughput", SystemUnderTest.Mmsg, "send_rate");
            double Of(string system) => r.Has("throughput", system) ? r.Median("throughput", system, "send_rate") / mmsgRate : double.NaN;
            var alone = Of(SystemUnderTest.BatchToMmsg);
            rows.Add(("3b. SendBatch ≥ 0.95x raw sendmmsg (both into raw recvmmsg; each into its own receiver shown)",
                Inv($"same receiver {alone:F2}x; SendBatch → ReceiveBatch {Of(batch):F2}x, raw sendmmsg → ReceiveBatch {Of(SystemUnderTest.MmsgToBatch):F2}x"),
                double.IsNaN(alone) ? null : alone >= 0.95));
        }

        var libRows = LibrarySystems.Throughput.Where(s => !s.Key.EndsWith("-thread", StringComparison.Ordinal) && r.Has("throughput", s.Key)).ToList();
        if (libRows.Count > 0)
        {
            var losses = libRows.Select(s => (s.Key, Loss: r.Median("throughput", s.Key, "loss"))).ToList();
            rows.Add(("3c. Receive keeps up: loss < 0.5 % with the default receive buffer",
                string.Join(", ", losses.Select(l => Inv($"{l.Key} {l.Loss * 100:F2} %"))), losses.All(l => l.Loss < 0.005)));
        }

        if (r.Has("throughput", py) && (r.Has("throughput", batch) || r.Has("throughput", sync)))
        {
            // Issue 4 derives 1.45x from its raw sendmmsg rate (253k against python-can's 157k frames/s; raw SendTo gave
            // 205k, 1.30x): the batch path is judged, the one-frame path and raw SendTo are shown as what bounds it.
            var pyRate = r.Median("throughput", py, "recv_rate");
            double Of(string system) => r.Has("throughput", system) ? r.Median("throughput", system, "recv_rate") / pyRate : double.NaN;
            var batchRatio = Of(batch);
            rows.Add(("3d. Receive rate ≥ 1.45x python-can's (SendBatch → ReceiveBatch; Send → Receive is bounded by raw SendTo's rate, shown)",
                Inv($"batch {batchRatio:F2}x; Send → Receive {Of(sync):F2}x, raw SendTo {Of(raw):F2}x, raw sendmmsg {Of(SystemUnderTest.Mmsg):F2}x (python-can loss {r.Median("throughput", py, "loss") * 100:F1} %)"),
                double.IsNaN(batchRatio) ? null : batchRatio >= 1.45));
        }

        foreach (var (placement, name) in new[] { (Placement.Across, "across CPUs"), (Placement.OneCpu, "one CPU") })
        {
            if (r.Has("rtt", sync) && r.Has("rtt", raw))
            {
                var p50 = r.Median("rtt", sync, "rtt_p50_us", placement) / r.Median("rtt", raw, "rtt_p50_us", placement);
                var p99 = r.Median("rtt", sync, "rtt_p99_us", placement) / r.Median("rtt", raw, "rtt_p99_us", placement);
                rows.Add(($"4. RTT {name}: p50 ≤ 1.1x and p99 ≤ 1.5x raw .NET sync", Inv($"p50 {p50:F2}x, p99 {p99:F2}x"), p50 <= 1.1 && p99 <= 1.5));
            }
        }

        foreach (var (scenario, name, counts) in ReceiverScenarios(r))
        {
            var saturated = LibrarySystems.Saturated.Where(s => r.Has(scenario, s.Key)).ToList();
            if (saturated.Count > 0 && r.Has(scenario, py))
            {
                var ratios = saturated.Select(s => (s.Key, Ratio: r.Median(scenario, s.Key, "cpu_us_per_frame") / r.Median(scenario, py, "cpu_us_per_frame"))).ToList();
                rows.Add(($"5. CPU per received frame, receiver saturated, ≤ 1/3 of python-can's (≤ 0.33x): {name}",
                    string.Join(", ", ratios.Select(x => Inv($"{x.Key} {x.Ratio:F2}x"))), counts ? ratios.All(x => x.Ratio <= 1.0 / 3) : null));
            }
        }

        if (r.Has("fanout", sync))
        {
            var loss = r.Median("fanout", sync, "worst_loss");
            rows.Add(("6. Fan-out 1 → 4 processes at 20k frames/s: no loss, CPU per frame reported",
                Inv($"worst receiver loss {loss * 100:F3} %, {r.Median("fanout", sync, "cpu_us_per_frame"):F2} µs CPU per received frame"), loss == 0));
        }

        Issue11Rows(rows, r);
        if (rows.Count == 0)
        {
            return;
        }

        text.Append("### Issue 4 targets in this run\n\n| target | measured (median) | met |\n|---|---|---|\n");
        foreach (var (target, measured, met) in rows)
        {
            text.Append(Inv($"| {target} | {measured} | {(met is true ? "yes" : met is false ? "**no**" : "–")} |\n"));
        }

        text.Append("\nRows 11.x are issue 11 item 7's targets for the receive path. ");
        text.Append("In 11.d, ? means the JIT listener was off (CANUDP_BENCH_JIT_LISTENER=0): only the whole process was counted. ");
        text.Append("\nTarget 2 (no managed allocation per frame) is asserted by tests/CanUdpMulticast.Network.Tests/ZeroAllocationTests.cs, not timed here; the throughput table's allocation column is the same check over the measured phase.\n\n");
    }

    /// <summary>
    /// Where the receive-cost targets (5, 11.a, 11.b) are judged: draining a backlog saturates every receiver, so it
    /// counts when it ran; the fast-sender table is then shown beside it without a verdict (its .NET receivers keep up
    /// with the sender on this machine, so their CPU per frame includes waiting for frames). Without a backlog run the
    /// fast-sender table is judged, as before the backlog scenario existed.
    /// </summary>
    private static IEnumerable<(string Scenario, string Name, bool Counts)> ReceiverScenarios(ReportWriter r)
    {
        var backlog = r.Has("backlog", SystemUnderTest.Python) || r.Has("backlog", SystemUnderTest.Raw) || r.Has("backlog", SystemUnderTest.Mmsg);
        if (backlog)
        {
            yield return ("backlog", "draining a backlog", true);
        }

        yield return ("saturated", backlog ? "fast sender (context; the library's receivers keep up there)" : "fast sender", !backlog);
    }

    /// <summary>Issue 11, item 7: receive CPU against the raw receivers, tighter RTT ratios, no JIT in the steady state.</summary>
    private static void Issue11Rows(List<(string Target, string Measured, bool? Met)> rows, ReportWriter r)
    {
        const string sync = LibrarySystems.Sync;
        const string batch = LibrarySystems.Batch;
        foreach (var (scenario, name, counts) in ReceiverScenarios(r))
        {
            if (r.Has(scenario, sync) && r.Has(scenario, SystemUnderTest.Raw))
            {
                var ratio = r.Median(scenario, sync, "cpu_us_per_frame") / r.Median(scenario, SystemUnderTest.Raw, "cpu_us_per_frame");
                rows.Add(($"11.a Receive: receiver CPU per frame ≤ 1.2x raw ReceiveFrom (saturated): {name}", Inv($"{ratio:F2}x"), counts ? ratio <= 1.2 : null));
            }

            if (r.Has(scenario, batch) && r.Has(scenario, SystemUnderTest.Mmsg))
            {
                var ratio = r.Median(scenario, batch, "cpu_us_per_frame") / r.Median(scenario, SystemUnderTest.Mmsg, "cpu_us_per_frame");
                rows.Add(($"11.b ReceiveBatch: receiver CPU per frame ≤ 1.2x raw recvmmsg + timestamps (saturated): {name}", Inv($"{ratio:F2}x"), counts ? ratio <= 1.2 : null));
            }
        }

        foreach (var (placement, name) in new[] { (Placement.Across, "across CPUs"), (Placement.OneCpu, "one CPU") })
        {
            if (r.Has("rtt", sync) && r.Has("rtt", SystemUnderTest.Raw))
            {
                var p50 = r.Median("rtt", sync, "rtt_p50_us", placement) / r.Median("rtt", SystemUnderTest.Raw, "rtt_p50_us", placement);
                var p99 = r.Median("rtt", sync, "rtt_p99_us", placement) / r.Median("rtt", SystemUnderTest.Raw, "rtt_p99_us", placement);
                rows.Add(($"11.c RTT {name}: p50 ≤ 1.05x and p99 ≤ 1.3x raw .NET sync", Inv($"p50 {p50:F2}x, p99 {p99:F2}x"), p50 <= 1.05 && p99 <= 1.3));
            }
        }

        // Judged on the library's own methods; the whole process's count (the runtime tiering up, the harness's code) and
        // the runtime's generics over the library's types are shown beside it (Roles.JitProbe).
        var jit = new List<(string Row, double Library, double OverLibrary, double Process)>();
        foreach (var scenario in new[] { "saturated", "backlog", "rtt" })
        {
            foreach (var system in LibrarySystems.Saturated.Concat(LibrarySystems.RoundTrip).Select(s => s.Key).Distinct())
            {
                if (r.Has(scenario, system))
                {
                    jit.Add(($"{scenario} {system}", r.Median(scenario, system, Roles.JitProbe.LibraryField),
                        r.Median(scenario, system, Roles.JitProbe.OverLibraryField), r.Median(scenario, system, Roles.JitProbe.Field)));
                }
            }
        }

        if (jit.Count > 0)
        {
            var known = jit.All(j => !double.IsNaN(j.Library));
            rows.Add(("11.d No library method JIT-compiled after the first 1,000 frames (median per row: library; runtime generics over library types / whole process)",
                string.Join(", ", jit.Select(j => Inv($"{j.Row} {Count(j.Library)} ({Count(j.OverLibrary)} / {j.Process:F0})"))),
                known ? jit.All(j => j.Library == 0) : null));
        }
    }

    private static string Count(double value) => double.IsNaN(value) ? "?" : value.ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
}
