using System.Text.RegularExpressions;
using CanUdpMulticast.Cli.Commands;
using CanUdpMulticast.Cli.Tests.Support;
using CanUdpMulticast.Harness;

namespace CanUdpMulticast.Cli.Tests.Commands;

/// <summary>
/// <c>canudp bench</c>: the loopback harness of scripts/bench.sh from the CLI, with the harness's options passed
/// through, refusing to run outside the private network namespace, its benchmark processes being canudp itself.
/// </summary>
public sealed class BenchCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Help_ListsBench_AndHidesItsRoleCommand()
    {
        using var canudp = new Canudp();
        var result = await canudp.StartAsync(["--help"], CancellationToken.None);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Out.Should().MatchRegex(@"(?m)^\s+bench\s+Loopback benchmarks");
        result.Out.Should().NotContain(BenchRoleCommand.Name);
        CommandCatalog.Create(canudp.Context).Should().Contain(c => c.Name == "bench" && !c.Hidden)
            .And.Contain(c => c.Name == BenchRoleCommand.Name && c.Hidden);
    }

    [Fact]
    public async Task BenchHelp_ShowsEveryHarnessOptionAndHowToRunIt()
    {
        var result = await Canudp.RunAsync("bench", "--help");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        var help = Regex.Replace(result.Out, @"\s+", " ");
        help.Should().Contain("scripts/in-netns.sh canudp bench");
        foreach (var option in LoopbackHarness.Options)
        {
            help.Should().Contain(option.TakesValue ? $"{option.Name} <{option.ValueName}>" : option.Name).And.Contain(option.Description);
        }
    }

    [Theory]
    [InlineData(null, "bench")]
    [InlineData(null, "bench --quick --only codec")]
    [InlineData("0", "bench --quick --only codec")]
    [InlineData(null, "bench-role -- codec lib --iterations 10 --warmup 0")]
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
    public void HarnessArguments_EveryOptionGiven_PassesThemThroughAsTheHarnessSpellsThem()
    {
        using var canudp = new Canudp();
        var parsed = CanudpApp.BuildRoot(canudp.Context).Parse(
        [
            "bench", "--systems", "raw,lib-sync", "--out", "report.md", "--only", "rtt", "--quick", "--reps", "2", "--frames", "1000",
            "--warmup", "0.1", "--pings", "50", "--fanout-rate", "500", "--fanout-seconds", "0.5",
        ]);

        parsed.Errors.Should().BeEmpty();
        var arguments = BenchCommand.HarnessArguments(parsed);

        arguments.Should().Equal(
            "--quick", "--reps", "2", "--frames", "1000", "--warmup", "0.1", "--pings", "50", "--only", "rtt", "--systems", "raw,lib-sync",
            "--fanout-rate", "500", "--fanout-seconds", "0.5", "--out", "report.md");
        LoopbackHarness.Options.Select(o => o.Name).Should().BeSubsetOf(arguments, "every harness option is reachable from canudp bench");
        FluentActions.Invoking(() => LoopbackHarness.Validate(arguments)).Should().NotThrow();
    }

    [Fact]
    public void HarnessArguments_NoOptions_LeavesTheHarnessDefaults()
    {
        using var canudp = new Canudp();
        var parsed = CanudpApp.BuildRoot(canudp.Context).Parse(["bench"]);

        BenchCommand.HarnessArguments(parsed).Should().BeEmpty();
    }

    [Theory]
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
        var result = await Canudp.RunAsync(commandLine.Split(' '));

        result.ExitCode.Should().Be(ExitCodes.Usage, result.ToString());
        result.Error.Should().Contain(named);
        result.Error.Should().NotContain("load average");
    }

    [SkippableFact]
    public async Task BenchRole_NotARole_ExitsWith2()
    {
        NetworkNamespace.Require();   // outside, the namespace refusal comes first

        var result = await Canudp.RunAsync(BenchRoleCommand.Name, "--", "nosuchrole", "lib");

        result.ExitCode.Should().Be(ExitCodes.Usage, result.ToString());
        result.Error.Should().Contain("expects ROLE IMPL").And.Contain("nosuchrole");
    }

    [SkippableFact]
    public async Task Process_QuickCodecAndRoundTrip_RunsTheHarnessAndReportsTheMeasuredRows()
    {
        NetworkNamespace.Require();
        var path = Path.Combine(Path.GetTempPath(), $"canudp-bench-{Guid.NewGuid():N}.md");
        try
        {
            // The smallest run that still covers both kinds of child: .NET roles (canudp bench-role; no harness
            // executable is next to this test) on sockets and in the codec, and python-can from canudp's python/ folder.
            var (exit, output, error) = await CanudpProcess.RunAsync(
                TimeSpan.FromSeconds(120),
                "bench", "--quick", "--only", "codec,rtt", "--systems", "lib,python,lib-sync", "--pings", "300", "--out", path);

            exit.Should().Be(ExitCodes.Ok, error);
            File.Exists(Path.Combine(AppContext.BaseDirectory, "CanUdpMulticast.Harness.Runner.dll")).Should().BeFalse();
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
        finally
        {
            File.Delete(path);
            File.Delete(path + ".json");
        }
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
}
