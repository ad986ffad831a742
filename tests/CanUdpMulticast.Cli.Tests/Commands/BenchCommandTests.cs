using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using CanUdpMulticast.Cli.Commands;
using CanUdpMulticast.Cli.Tests.Support;
using CanUdpMulticast.Harness;

namespace CanUdpMulticast.Cli.Tests.Commands;

/// <summary>
/// <c>canudp bench</c>: the loopback harness of scripts/bench.sh (benchmarks/CanUdpMulticast.Harness.Runner) run as a
/// separate program from the CLI, with the harness's options passed through, refusing to run outside the private
/// network namespace. The tool itself references nothing under benchmarks/.
/// </summary>
public sealed class BenchCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Help_ListsBench()
    {
        using var canudp = new Canudp();
        var result = await canudp.StartAsync(["--help"], CancellationToken.None);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Out.Should().MatchRegex(@"(?m)^\s+bench\b.*\s+Loopback benchmarks");
        result.Out.Should().NotContain("bench-role");
    }

    [Fact]
    public void Tool_ReferencesNothingUnderBenchmarks()
    {
        var tool = typeof(CanudpApp).Assembly;

        tool.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain(name => name!.Contains("Harness", StringComparison.Ordinal));
        File.ReadAllText(Path.Combine(CanUdpMulticast.Testing.RepositoryRoot.Path, "src", "CanUdpMulticast.Cli", "CanUdpMulticast.Cli.csproj"))
            .Should().NotContain("benchmarks").And.NotContain("InternalsVisibleTo Include=\"canudp");
    }

    [Fact]
    public async Task BenchHelp_SaysHowToRunItAndWhereTheHarnessComesFrom()
    {
        var result = await Canudp.RunAsync("bench", "--help");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        var help = Regex.Replace(result.Out, @"\s+", " ");
        help.Should().Contain("scripts/in-netns.sh canudp bench").And.Contain("CANUDP_BENCH_HARNESS").And.Contain("canudp bench -- --help");
    }

    [SkippableFact]
    public async Task BenchDashDashHelp_ShowsEveryHarnessOption()
    {
        NetworkNamespace.Require();   // outside, the namespace refusal comes first

        var result = await Canudp.RunAsync("bench", "--", "--help");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        foreach (var option in LoopbackHarness.Options)
        {
            result.Out.Should().Contain(option.Name).And.Contain(option.Description);
        }
    }

    [Theory]
    [InlineData(null, "bench")]
    [InlineData(null, "bench --quick --only codec")]
    [InlineData("0", "bench --quick --only codec")]
    public async Task Process_OutsideTheNamespace_RefusesWithExit2AndRunsNothing(string? netns, string commandLine)
    {
        var environment = new Dictionary<string, string?> { [LoopbackHarness.NamespaceVariable] = netns };

        var (exit, output, error) = await CanudpProcess.RunAsync(Timeout, environment, commandLine.Split(' '));

        exit.Should().Be(ExitCodes.Usage, error);
        error.Should().Contain("refusing to run outside the private network namespace")
            .And.Contain("scripts/in-netns.sh canudp bench").And.Contain("scripts/bench.sh");
        error.Should().NotContain("load average", "the orchestrator must not have started");
        output.Should().NotContain("RESULT").And.NotContain("Loopback harness results");
    }

    [Fact]
    public void HarnessArguments_EveryOptionGiven_PassesThemThroughInTheirOrder()
    {
        using var canudp = new Canudp();
        string[] given =
        [
            "--systems", "raw,lib-sync", "--out", "report.md", "--only", "rtt", "--quick", "--reps", "2", "--frames", "1000",
            "--warmup", "0.1", "--pings", "50", "--judged-pairs", "2", "--fanout-rate", "500", "--fanout-seconds", "0.5",
        ];
        var bench = CanudpApp.BuildRoot(canudp.Context).Subcommands.Single(c => c.Name == "bench");

        var parsed = CanudpApp.BuildRoot(canudp.Context).Parse(["bench", .. given]);

        parsed.Errors.Should().BeEmpty();
        var arguments = BenchCommand.HarnessArguments(parsed, (Argument<string[]>)parsed.CommandResult.Command.Arguments.Single());
        arguments.Should().Equal(given);
        bench.Options.Select(o => o.Name).Should().NotContain("--quick", "the harness parses its own options");
        LoopbackHarness.Options.Select(o => o.Name).Should().BeSubsetOf(arguments, "every harness option is reachable from canudp bench");
        FluentActions.Invoking(() => LoopbackHarness.Validate(arguments)).Should().NotThrow();
    }

    [Fact]
    public void HarnessArguments_AfterDoubleDash_PassesThemThrough()
    {
        using var canudp = new Canudp();
        var parsed = CanudpApp.BuildRoot(canudp.Context).Parse(["bench", "--", "--help"]);

        BenchCommand.HarnessArguments(parsed, (Argument<string[]>)parsed.CommandResult.Command.Arguments.Single()).Should().Equal("--help");
    }

    [Fact]
    public void HarnessArguments_NoOptions_LeavesTheHarnessDefaults()
    {
        using var canudp = new Canudp();
        var parsed = CanudpApp.BuildRoot(canudp.Context).Parse(["bench"]);

        BenchCommand.HarnessArguments(parsed, (Argument<string[]>)parsed.CommandResult.Command.Arguments.Single()).Should().BeEmpty();
    }

    [SkippableTheory]
    [InlineData("bench --quick --only nosuch", "--only: unknown 'nosuch'")]
    [InlineData("bench --quick --only codec --systems raw,lib-send", "unknown 'lib-send'")]
    [InlineData("bench --quick --only codec --reps 0", "--reps needs a whole number of at least 1, not '0'")]
    [InlineData("bench --quick --only codec --frames many", "not 'many'")]
    [InlineData("bench --quick --only codec --warmup -1", "--warmup")]
    [InlineData("bench --quick --only codec --fanout-rate 0", "--fanout-rate")]
    [InlineData("bench --quick --only codec --no-such-option", "--no-such-option")]
    [InlineData("bench --quick --only codec --out", "--out")]
    public async Task Bench_WrongUsage_ExitsWith2AndNamesTheProblemBeforeRunningAnything(string commandLine, string named)
    {
        NetworkNamespace.Require();   // the harness checks its options; outside, the namespace refusal comes first

        var result = await Canudp.RunAsync(commandLine.Split(' '));

        result.ExitCode.Should().Be(ExitCodes.Usage, result.ToString());
        result.Error.Should().Contain(named);
        result.Error.Should().NotContain("load average");
    }

    [SkippableFact]
    public async Task Process_QuickCodecAndRoundTrip_RunsTheHarnessAndReportsTheMeasuredRows()
    {
        NetworkNamespace.Require();
        using var report = new ReportFile();
        var path = report.Path;

        // The smallest run that still covers both kinds of child: .NET roles (the harness runner's own processes)
        // on sockets and in the codec, and python-can from the runner's python/ folder.
        var (exit, output, error) = await CanudpProcess.RunAsync(
            TimeSpan.FromSeconds(120),
            "bench", "--quick", "--only", "codec,rtt", "--systems", "lib,python,lib-sync", "--pings", "300", "--out", path);

        exit.Should().Be(ExitCodes.Ok, error);
        output.Should().Contain("## Loopback harness results").And.Contain("300 pings per RTT run").And.Contain("QUICK RUN");
        const string Ns = @"[\d,.]+ ns";
        const string Us = @"[\d,.]+ µs";
        output.Should().MatchRegex($@"\| CanUdpMulticast WireCodec\.Encode / Decode \(validates\) \| {Ns} \| {Ns} \| [\d.]+ B \|");
        output.Should().MatchRegex($@"\| python-can 4\.1\.0 pack_message / unpack_message\(check=True\) \| {Ns} \| {Ns} \|");
        output.Should().MatchRegex($@"\| CanUdpMulticast: Send \+ Receive \(sync\) \| {Us} \| {Us} \| {Us} \| {Us} \|");
        output.Should().MatchRegex($@"\| python-can 4\.1\.0 udp_multicast \| {Us} \| {Us} \| {Us} \| {Us} \|");
        output.Should().NotContain("Failed runs").And.NotContain("| failed")
            .And.NotContain("### One-way throughput", "--only is passed through")
            .And.NotContain("raw .NET SendTo", "--systems is passed through");
        error.Should().MatchRegex(@"\[1/1\] codec\s+lib\s+CPU 1\s+encode \d+ ns")
            .And.MatchRegex(@"\[1/1\] rtt\s+lib-sync\s+one CPU \(both on 1\)\s+p50 [\d.]+ us .* lost 0");
        output.Should().Contain(File.ReadAllText(path).TrimEnd(), "--out gets the same report");
        File.ReadAllText(path + ".json").Should().Contain("lib-sync");
    }

    [SkippableFact]
    public async Task Process_JudgedPairs_TheComparedRowsRunThatOftenAlternatingAndTheOthersOnce()
    {
        NetworkNamespace.Require();
        using var report = new ReportFile();
        var path = report.Path;

        var (exit, output, error) = await CanudpProcess.RunAsync(
            TimeSpan.FromSeconds(180),
            "bench", "--quick", "--only", "rtt", "--systems", "raw,lib-sync,mmsg", "--pings", "300", "--judged-pairs", "3", "--out", path);

        exit.Should().Be(ExitCodes.Ok, error);
        output.Should().Contain("run 3x per repetition");
        using var runs = JsonDocument.Parse(File.ReadAllText(path + ".json"));
        var rtt = runs.RootElement.GetProperty("runs").EnumerateArray()
            .Where(r => r.GetProperty("scenario").GetString() == "rtt")
            .Select(r => (System: r.GetProperty("system").GetString(), Placement: r.GetProperty("placement").GetString()))
            .ToList();
        foreach (var placement in rtt.Select(r => r.Placement).Distinct())
        {
            // The scenario's own pass (raw, lib-sync, mmsg), then the extra pairs: library first, then baseline first.
            rtt.Where(r => r.Placement == placement).Select(r => r.System).Should().Equal("raw", "lib-sync", "mmsg", "lib-sync", "raw", "raw", "lib-sync");
        }

        rtt.Select(r => r.Placement).Distinct().Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task Process_QuickBacklog_EveryReceiverDrainsTheWholeQueueAndTarget5IsJudgedThere()
    {
        NetworkNamespace.Require();
        using var report = new ReportFile();
        var path = report.Path;

        // A raw, a python-can and an asynchronous library receiver: each must pause at the first measured frame, get
        // the go line on standard input, and then drain every frame from its (forced, large) receive buffer.
        var (exit, output, error) = await CanudpProcess.RunAsync(
            TimeSpan.FromSeconds(120),
            "bench", "--quick", "--only", "backlog", "--systems", "mmsg,python,lib-async", "--frames", "20000", "--out", path);

        exit.Should().Be(ExitCodes.Ok, error);
        output.Should().Contain("### Saturated receiver: draining a backlog (20000 frames");
        const string Full = @"\| [\d.]+k \| [\d.]+k \| 100\.0 % \| [\d.]+ µs \|";
        output.Should().MatchRegex($@"\| raw recvmmsg x64 \+ SO_TIMESTAMPNS {Full}");
        output.Should().MatchRegex($@"\| python-can 4\.1\.0 recv {Full}");
        output.Should().MatchRegex($@"\| CanUdpMulticast ReceiveAsync {Full}");
        // Every receiver's measured window starts after its sender sent its last frame (both CLOCK_MONOTONIC):
        // the receivers really paused and drained a queue.
        using var runs = JsonDocument.Parse(File.ReadAllText(path + ".json"));
        var backlogRuns = runs.RootElement.GetProperty("runs").EnumerateArray().Where(r => r.GetProperty("scenario").GetString() == "backlog").ToList();
        backlogRuns.Should().HaveCount(3);
        foreach (var run in backlogRuns)
        {
            var metrics = run.GetProperty("metrics");
            metrics.GetProperty("first_measured_monotonic_s").GetDouble().Should().BeGreaterThan(
                metrics.GetProperty("send_end_monotonic_s").GetDouble(), run.GetProperty("system").GetString());
        }

        // Target 11.d counts the library's own late compilations (a number, from the JIT listener) beside the whole process's.
        var libraryMetrics = backlogRuns.Single(r => r.GetProperty("system").GetString() == "lib-async").GetProperty("metrics");
        libraryMetrics.GetProperty("jit_library_methods_after_1000").ValueKind.Should().Be(JsonValueKind.Number);
        libraryMetrics.GetProperty("jit_library_methods_after_1000").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        libraryMetrics.GetProperty("jit_methods_after_1000").ValueKind.Should().Be(JsonValueKind.Number);
        output.Should().MatchRegex(@"\| 11\.d No library method JIT-compiled [^|]*\| backlog lib-async \d+ \(\d+ / \d+\) \| (yes|\*\*no\*\*) \|");

        output.Should().MatchRegex(@"\| 5\. CPU per received frame, receiver saturated, [^|]*: draining a backlog \| lib-async [\d.]+x \| (yes|\*\*no\*\*) \|",
            "the backlog run is the one judged");
        output.Should().NotContain("Failed runs").And.NotContain("### Fast sender");
        error.Should().MatchRegex(@"\[1/1\] backlog\s+lib-async\s+sender CPU 0, receiver CPU 1\s+send [\d.]+k/s recv [\d.]+k/s loss 0\.00 %");
    }

    [SkippableFact]
    public async Task Process_CtrlC_StopsTheRunningMeasurementKillsItsProcessesAndStillReports()
    {
        NetworkNamespace.Require();
        const string Pings = "987654321";   // far more than fits in the test: only Ctrl+C ends this run
        using var process = CanudpProcess.Start("bench", "--quick", "--only", "rtt", "--systems", "lib-sync", "--pings", Pings);
        var deadline = DateTime.UtcNow + Timeout;
        while (!AnyProcessWith($"--count {Pings}"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the pinger never started.\nout: {process.Out}\nerr: {process.Error}");
            }

            await Task.Delay(20);
        }

        process.Interrupt();
        var exit = await process.WaitForExitAsync(Timeout);

        exit.Should().Be(ExitCodes.Ok, process.Error);
        process.Error.Should().Contain("interrupted: the report holds the 0 run(s) finished so far");
        process.Out.Should().Contain("## Loopback harness results");
        AnyProcessWith($"--count {Pings}").Should().BeFalse("the orchestrator kills its benchmark processes");
    }

    private static bool AnyProcessWith(string text) => Directory.EnumerateDirectories("/proc")
        .Where(dir => int.TryParse(Path.GetFileName(dir), out _))
        .Any(dir =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Contains(text, StringComparison.Ordinal);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;   // the process ended meanwhile
            }
        });

    /// <summary>A temporary report path for <c>--out</c>; deletes the report and its JSON.</summary>
    private sealed class ReportFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"canudp-bench-{Guid.NewGuid():N}.md");

        public void Dispose()
        {
            File.Delete(Path);
            File.Delete(Path + ".json");
        }
    }
}
