using System.Globalization;
using CanUdpMulticast.Harness.Roles;

namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>
/// Runs every scenario as separate processes inside the namespace, repeats each, and prints one report with ratios
/// against the baselines measured in the same run.
/// </summary>
internal sealed class Orchestrator
{
    public const string Group = "239.74.163.77";
    private const string PythonPath = "/usr/bin/python3";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(180);

    private readonly Settings _settings;
    private readonly RoleLauncher _launcher;
    private readonly TextWriter _report;
    private readonly TextWriter _log;
    private readonly CancellationToken _cancellationToken;
    private readonly string _pythonScript = Path.Combine(AppContext.BaseDirectory, "python", "pycan_roles.py");
    private readonly List<RunRecord> _runs = [];
    private int _nextPort = 43300;

    private Orchestrator(Settings settings, RoleLauncher launcher, TextWriter report, TextWriter log, CancellationToken cancellationToken)
    {
        _settings = settings;
        _launcher = launcher;
        _report = report;
        _log = log;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Runs the scenarios of <paramref name="settings"/> (callers check the namespace first: <see cref="LoopbackHarness.RunAsync"/>).</summary>
    public static async Task<int> RunAsync(Settings settings, RoleLauncher launcher, TextWriter report, TextWriter log, CancellationToken cancellationToken)
    {
        Native.Libc.CheckLayouts();
        return await new Orchestrator(settings, launcher, report, log, cancellationToken).RunAsync().ConfigureAwait(false);
    }

    private async Task<int> RunAsync()
    {
        var facts = MachineFacts.Collect(_pythonScript);
        Log($"load average before: {facts.LoadBefore}; nproc {facts.ProcessorCount}; kernel {facts.Kernel}; dotnet {facts.DotnetSdk}; python-can {facts.PythonCan}");
        CheckDatagramsMatchPythonCan();

        var interrupted = false;
        try
        {
            await RunScenariosAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
            Log($"interrupted: the report holds the {_runs.Count} run(s) finished so far");
        }

        facts.LoadAfter = MachineFacts.LoadAverage();
        var report = new ReportWriter(_settings, facts, _runs).Write();
        await _report.WriteLineAsync(report).ConfigureAwait(false);
        await _report.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        if (_settings.Out is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, report, CancellationToken.None).ConfigureAwait(false);
            await File.WriteAllTextAsync(path + ".json", RunsJson.Write(facts, _runs), CancellationToken.None).ConfigureAwait(false);
            Log($"report written to {path}");
        }

        return !interrupted && _runs.Any(r => r.Error is not null) ? 1 : 0;
    }

    private async Task RunScenariosAsync()
    {
        for (var rep = 1; rep <= _settings.Reps; rep++)
        {
            // Repetition-major order: slow drifts of the machine's load hit every row alike.
            if (_settings.Only.Contains("codec"))
            {
                foreach (var system in SystemUnderTest.Codec.Where(_settings.Includes))
                {
                    await Measure("codec", system, "CPU 1", rep, () => Codec(system)).ConfigureAwait(false);
                }
            }

            if (_settings.Only.Contains("throughput"))
            {
                const string placement = "sender CPU 0, receiver CPU 1";
                foreach (var system in SystemUnderTest.Throughput.Where(_settings.Includes))
                {
                    await Measure("throughput", system, placement, rep, () => Throughput(system)).ConfigureAwait(false);
                }

                // Targets 3a and 3b compare these pairs.
                await MeasureJudgedPairs("throughput", SystemUnderTest.Throughput, [(SystemUnderTest.Raw, LibrarySystems.Sync), (SystemUnderTest.Mmsg, SystemUnderTest.BatchToMmsg)],
                    placement, rep, system => Throughput(system)).ConfigureAwait(false);
            }

            if (_settings.Only.Contains("saturated"))
            {
                foreach (var system in SystemUnderTest.Saturated.Where(_settings.Includes))
                {
                    await Measure("saturated", system, "sender CPU 0, receiver CPU 1", rep, () => Throughput(system)).ConfigureAwait(false);
                }
            }

            if (_settings.Only.Contains("backlog"))
            {
                const string placement = "sender CPU 0, receiver CPU 1";
                foreach (var system in SystemUnderTest.Saturated.Where(_settings.Includes))
                {
                    await Measure("backlog", system, placement, rep, () => Throughput(system, backlog: true)).ConfigureAwait(false);
                }

                // Targets 11.a and 11.b compare these pairs.
                await MeasureJudgedPairs("backlog", SystemUnderTest.Saturated, [(SystemUnderTest.Raw, LibrarySystems.Sync), (SystemUnderTest.Mmsg, LibrarySystems.Batch)],
                    placement, rep, system => Throughput(system, backlog: true)).ConfigureAwait(false);
            }

            if (_settings.Only.Contains("rtt"))
            {
                // Round trips across CPUs move between two speeds over minutes on this kind of virtual machine: the raw
                // baseline and the library's sync row (first in the list) run next to each other, in both orders.
                var systems = SystemUnderTest.RoundTrip.Where(_settings.Includes).ToList();
                if (rep % 2 == 0)
                {
                    systems.Reverse();
                }

                foreach (var (placement, pingCpu) in new[] { (Placement.Across, "0"), (Placement.OneCpu, "1") })
                {
                    foreach (var system in systems)
                    {
                        await Measure("rtt", system, placement, rep, () => RoundTrip(system, pingCpu, "1")).ConfigureAwait(false);
                    }

                    // Targets 4 and 11.c compare this pair.
                    await MeasureJudgedPairs("rtt", SystemUnderTest.RoundTrip, [(SystemUnderTest.Raw, LibrarySystems.Sync)],
                        placement, rep, system => RoundTrip(system, pingCpu, "1")).ConfigureAwait(false);
                }
            }

            if (_settings.Only.Contains("fanout"))
            {
                foreach (var system in SystemUnderTest.FanOut.Where(_settings.Includes))
                {
                    await Measure("fanout", system, "unpinned", rep, () => FanOut(system)).ConfigureAwait(false);
                }
            }
        }

        if (_settings.Only.Contains("jitter"))
        {
            for (var rep = 1; rep <= _settings.Reps; rep++)
            {
                foreach (var (periodMs, count) in _settings.JitterRuns)
                {
                    foreach (var system in SystemUnderTest.Jitter.Where(_settings.Includes))
                    {
                        await Measure("jitter", system, JitterPlacement(periodMs), rep, () => Jitter(system, periodMs, count)).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Runs each pair of rows that a ratio target compares <see cref="Settings.JudgedPairs"/> − 1 more times in this
    /// repetition (the scenario's own pass ran them once), alternating which row goes first, so that their medians rest
    /// on more runs than the other rows'.
    /// </summary>
    private async Task MeasureJudgedPairs(string scenario, IReadOnlyList<SystemUnderTest> rows, (string Baseline, string Library)[] pairs,
        string placement, int rep, Func<SystemUnderTest, Task<Dictionary<string, double>>> run)
    {
        for (var extra = 1; extra < _settings.JudgedPairs; extra++)
        {
            foreach (var (baseline, library) in pairs)
            {
                var pair = rows.Where(s => s.Key == baseline || s.Key == library).Where(_settings.Includes).ToList();
                if (pair.Count != 2)
                {
                    continue;
                }

                var libraryFirst = extra % 2 == 1;
                if ((pair[0].Key == library) != libraryFirst)
                {
                    pair.Reverse();
                }

                foreach (var system in pair)
                {
                    await Measure(scenario, system, placement, rep, () => run(system)).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task Measure(string scenario, SystemUnderTest system, string placement, int rep, Func<Task<Dictionary<string, double>>> run)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        Dictionary<string, double> metrics = [];
        string? error = null;
        try
        {
            metrics = await run().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRunFailure(ex) && !_cancellationToken.IsCancellationRequested)
        {
            error = ex.Message;
        }
        catch (Exception ex) when (IsRunFailure(ex))
        {
            // Ctrl+C also reaches the children (one process group): their deaths are the interruption, not failures.
            throw new OperationCanceledException("interrupted", ex, _cancellationToken);
        }

        _runs.Add(new RunRecord(scenario, system.Key, placement, rep, metrics, error));
        Log(error is null
            ? $"[{rep}/{_settings.Reps}] {scenario,-10} {system.Key,-16} {placement,-30} {Summary(scenario, metrics)}"
            : $"[{rep}/{_settings.Reps}] {scenario,-10} {system.Key,-16} {placement,-30} FAILED: {error}");
    }

    /// <summary>A failure of one measurement (a child died, timed out, or could not start: no taskset, no python): recorded, the run goes on.</summary>
    private static bool IsRunFailure(Exception ex) => ex is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception;

    private static string Summary(string scenario, Dictionary<string, double> m) => scenario switch
    {
        "throughput" or "saturated" or "backlog" => FormattableString.Invariant(
            $"send {m["send_rate"] / 1e3:F1}k/s recv {m["recv_rate"] / 1e3:F1}k/s loss {m["loss"] * 100:F2} % rx CPU {m["cpu_us_per_frame"]:F2} us/frame"),
        "rtt" => FormattableString.Invariant($"p50 {m["rtt_p50_us"]:F1} us p99 {m["rtt_p99_us"]:F1} us lost {m["lost"]}"),
        "codec" => FormattableString.Invariant($"encode {m["encode_ns"]:F0} ns decode+validate {m["decode_ns"]:F0} ns"),
        "jitter" => FormattableString.Invariant(
            $"{m["frames"]} frames, deviation p50 {m["dev_p50_us"]:F0} us p99 {m["dev_p99_us"]:F0} us max {m["dev_max_us"]:F0} us, interval error p99 {m["interval_err_p99_us"]:F0} us"),
        "fanout" => FormattableString.Invariant(
            $"worst loss {m["worst_loss"] * 100:F3} % rx CPU {m["cpu_us_per_frame"]:F2} us/frame tx CPU {m["send_cpu_us_per_frame"]:F2} us/frame"),
        _ => "",
    };

    /// <summary>
    /// One sender, one receiver. With <paramref name="backlog"/> the receiver stops reading at the first measured frame
    /// and drains, once the sender is done, what queued meanwhile in a receive buffer big enough for all of it.
    /// </summary>
    private async Task<Dictionary<string, double>> Throughput(SystemUnderTest system, bool backlog = false)
    {
        var port = NextPort();
        (string, string)[] receiverOptions = backlog
            ? [("idle", "1.0"), ("backlog", "1"), ("rcvbuf", Str(BacklogReceiveBuffer))]
            : [("idle", "1.0")];
        using var receiver = StartRole($"{system.Key} receiver", "1", system, system.ReceiveImpl, "recv", port, receiverOptions);
        await receiver.WaitReadyAsync(ReadyTimeout, _cancellationToken).ConfigureAwait(false);
        using var sender = StartRole($"{system.Key} sender", "0", system, system.SendImpl, "send", port,
            ("frames", Str(_settings.Frames)), ("warmup", Str(Warmup(system.SendImpl))));
        var sent = await sender.WaitResultAsync(ResultTimeout, _cancellationToken).ConfigureAwait(false);
        if (backlog)
        {
            await receiver.SendLineAsync("GO").ConfigureAwait(false);
        }

        var received = await receiver.WaitResultAsync(ResultTimeout, _cancellationToken).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>(received, StringComparer.Ordinal);
        foreach (var (key, value) in sent)
        {
            metrics[key] = value;
        }

        metrics["loss"] = 1 - (received["received"] / sent["sent"]);
        return metrics;
    }

    private async Task<Dictionary<string, double>> RoundTrip(SystemUnderTest system, string pingCpu, string pongCpu)
    {
        var port = NextPort();
        using var ponger = StartRole($"{system.Key} ponger", pongCpu, system, system.ReceiveImpl, "pong", port);
        await ponger.WaitReadyAsync(ReadyTimeout, _cancellationToken).ConfigureAwait(false);
        using var pinger = StartRole($"{system.Key} pinger", pingCpu, system, system.SendImpl, "ping", port,
            ("count", Str(_settings.Pings)), ("warmup", Str(Warmup(system.SendImpl))));
        var result = await pinger.WaitResultAsync(ResultTimeout, _cancellationToken).ConfigureAwait(false);
        var pong = await ponger.WaitResultAsync(ResultTimeout, _cancellationToken).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>(result, StringComparer.Ordinal);
        foreach (var (key, value) in pong)
        {
            metrics[key] = value;
        }

        return metrics;
    }

    private async Task<Dictionary<string, double>> FanOut(SystemUnderTest system)
    {
        var port = NextPort();
        var frames = (int)(_settings.FanOutRate * _settings.FanOutSeconds);
        var receivers = new List<Child>();
        try
        {
            for (var i = 0; i < _settings.FanOutReceivers; i++)
            {
                receivers.Add(StartRole($"{system.Key} receiver {i + 1}", null, system, system.ReceiveImpl, "recv", port, ("idle", "1.0")));
            }

            foreach (var receiver in receivers)
            {
                await receiver.WaitReadyAsync(ReadyTimeout, _cancellationToken).ConfigureAwait(false);
            }

            using var sender = StartRole($"{system.Key} sender", null, system, system.SendImpl, "send", port,
                ("frames", Str(frames)), ("warmup", Str(Warmup(system.SendImpl))), ("rate", Str(_settings.FanOutRate)));
            var sent = await sender.WaitResultAsync(ResultTimeout, _cancellationToken).ConfigureAwait(false);
            var results = new List<Dictionary<string, double>>();
            foreach (var receiver in receivers)
            {
                results.Add(await receiver.WaitResultAsync(ResultTimeout, _cancellationToken).ConfigureAwait(false));
            }

            var losses = results.Select(r => 1 - (r["received"] / sent["sent"])).ToArray();
            return new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["sent"] = sent["sent"],
                ["send_rate"] = sent["send_rate"],
                ["send_cpu_us_per_frame"] = sent["send_cpu_us_per_frame"],
                ["receivers"] = results.Count,
                ["worst_loss"] = losses.Max(),
                ["mean_loss"] = losses.Average(),
                ["cpu_us_per_frame"] = results.Average(r => r["cpu_us_per_frame"]),
                ["max_cpu_us_per_frame"] = results.Max(r => r["cpu_us_per_frame"]),
            };
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                receiver.Dispose();
            }
        }
    }

    private async Task<Dictionary<string, double>> Codec(SystemUnderTest system)
    {
        var iterations = system.IsPython ? (_settings.Quick ? 20_000 : 200_000) : (_settings.Quick ? 200_000 : 2_000_000);
        using var child = StartRole($"{system.Key} codec", "1", system, system.SendImpl, "codec", NextPort(),
            ("iterations", Str(iterations)), ("warmup", Str(system.IsPython ? _settings.PythonWarmup : CodecWarmup)));
        return await child.WaitResultAsync(ResultTimeout, _cancellationToken).ConfigureAwait(false);
    }

    public static string JitterPlacement(double periodMs) => FormattableString.Invariant($"period {periodMs} ms");

    private async Task<Dictionary<string, double>> Jitter(SystemUnderTest system, double periodMs, int count)
    {
        var port = NextPort();
        var options = new[] { ("period-ms", Str(periodMs)), ("count", Str(count)) };
        using var receiver = StartRole($"{system.Key} periodic receiver", null, system, system.ReceiveImpl, "periodic-recv", port, options);
        await receiver.WaitReadyAsync(ReadyTimeout, _cancellationToken).ConfigureAwait(false);
        using var sender = StartRole($"{system.Key} periodic sender", null, system, system.SendImpl, "periodic-send", port,
            [.. options, ("warmup", Str(Warmup(system.SendImpl)))]);
        var sent = await sender.WaitResultAsync(ResultTimeout, _cancellationToken).ConfigureAwait(false);
        var metrics = await receiver.WaitResultAsync(ResultTimeout, _cancellationToken).ConfigureAwait(false);
        metrics["expected"] = count;
        if (sent.TryGetValue("called_mod1000", out var called) && metrics.TryGetValue("first_mod1000", out var first))
        {
            // Both are wall-clock seconds modulo 1000 (sender: the SendPeriodic call; receiver: the first kernel timestamp).
            var late = first - called;
            late += late < -500 ? 1000 : late > 500 ? -1000 : 0;
            metrics["first_late_us"] = late * 1e6;
            metrics["call_us"] = sent.GetValueOrDefault("call_us");
        }
        return metrics;
    }

    /// <summary>The codec loops run for microseconds per call: give the tiered JIT time to install its final code (5 s by default; 2 s was not always enough on a loaded machine).</summary>
    private double CodecWarmup => 2.5 * _settings.DotnetWarmup;

    /// <summary>Room for every measured frame of a backlog run: a 162-byte datagram takes about 1 KiB of buffer in the kernel (the skb's true size).</summary>
    private int BacklogReceiveBuffer => (int)Math.Min(1L << 30, _settings.Frames * 2048L);

    private double Warmup(string impl) => impl == "python" ? _settings.PythonWarmup : _settings.DotnetWarmup;

    private int NextPort() => _nextPort++;

    private Child StartRole(string label, string? cpu, SystemUnderTest system, string impl, string role, int port, params (string Key, string Value)[] options)
    {
        var args = new List<string>();
        string file;
        if (impl == "python")
        {
            file = PythonPath;
            args.Add(_pythonScript);
            args.Add(role);
        }
        else
        {
            file = _launcher.FileName;
            args.AddRange(_launcher.Arguments);
            args.Add(role);
            args.Add(impl);
        }

        args.AddRange(["--group", Group, "--port", Str(port)]);
        if (impl != "python")
        {
            args.AddRange(system.Args);
        }

        foreach (var (key, value) in options)
        {
            args.Add("--" + key);
            args.Add(value);
        }

        return Child.Start(label, cpu, file, args);
    }

    /// <summary>The raw baselines send the bytes python-can sends: check that once, with python-can itself.</summary>
    private void CheckDatagramsMatchPythonCan()
    {
        for (byte kind = FrameKind.Warmup; kind <= FrameKind.Stop; kind++)
        {
            var start = new System.Diagnostics.ProcessStartInfo(PythonPath) { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(_pythonScript);
            start.ArgumentList.Add("pack");
            start.ArgumentList.Add(Str(kind));
            using var process = System.Diagnostics.Process.Start(start)!;
            var hex = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            var ours = Convert.ToHexStringLower(Datagram.Create(kind));
            if (hex != ours)
            {
                throw new InvalidOperationException($"python-can packs kind {kind} as {hex}, the harness as {ours}");
            }
        }

        Log($"datagrams: {Datagram.Length} bytes, identical to python-can's pack_message output");
    }

    private static string Str(double value) => value.ToString(CultureInfo.InvariantCulture);

    private void Log(string message) => _log.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");
}
