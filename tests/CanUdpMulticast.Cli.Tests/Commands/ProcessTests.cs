using CanUdpMulticast.Cli.Tests.Support;

namespace CanUdpMulticast.Cli.Tests.Commands;

/// <summary>The real executable: exit codes and Ctrl+C (SIGINT) handling as a shell sees them.</summary>
public sealed class ProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Process_BadFrame_ExitsWith2()
    {
        var (exit, _, error) = await CanudpProcess.RunAsync(Timeout, "send", "-i", "virtual", "123#R9");

        exit.Should().Be(2);
        error.Should().Contain("'R9'");
    }

    [SkippableFact]
    public async Task Process_DumpIntoHead_EndsWith0WhenTheReaderCloses()
    {
        NetworkNamespace.Require();
        var canudp = $"dotnet '{CanudpProcess.ToolPath}'";
        var group = "239.74.163." + Random.Shared.Next(10, 250).ToString(System.Globalization.CultureInfo.InvariantCulture);

        // A live bus (gen keeps sending) into dump, whose stdout closes after two lines: dump must notice and end.
        var script = $"{canudp} -q gen -c {group} --hop-limit 0 -n 0 -g 2 & G=$!; " +
                     $"timeout 20 {canudp} dump -c {group} | head -2 > /dev/null; rc=${{PIPESTATUS[0]}}; kill $G; exit $rc";
        using var shell = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardError = true,
        })!;
        var error = await shell.StandardError.ReadToEndAsync();
        await shell.WaitForExitAsync().WaitAsync(Timeout);

        shell.ExitCode.Should().Be(0, "timeout(1) gives 124 when dump never ends; stderr: " + error);
        error.Should().Contain("dump: ").And.Contain("received");
    }

    [Fact]
    public async Task Process_Help_ExitsWith0()
    {
        var (exit, output, _) = await CanudpProcess.RunAsync(Timeout, "--help");

        exit.Should().Be(0);
        output.Should().Contain("canudp").And.Contain("demo");
    }

    [Fact]
    public async Task Process_CtrlC_EndsLogCleanlyWithItsSummaryAndExitCode0()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.log");
        try
        {
            using var process = CanudpProcess.Start("log", path, "-i", "virtual", "-c", "ctrl-c");
            await process.WaitForOutputAsync("log: connected to", Timeout);

            process.Interrupt();
            var exit = await process.WaitForExitAsync(Timeout);

            exit.Should().Be(0, process.Error);
            process.Error.Should().Contain($"log: 0 frames written to {path}");
            File.Exists(path).Should().BeTrue();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public async Task Process_CtrlC_EndsGenCleanlyWithItsSummary()
    {
        // On a UDP group inside the namespace, so the test sees gen's frames: it interrupts once the first has arrived
        // (a fixed 300 ms after the start line could pass before the first send on a loaded machine: "0 frames sent").
        NetworkNamespace.Require();
        const string Group = "239.74.163.2";
        var port = NetworkNamespace.UniquePort();
        using var listener = CanBus.Create("udp_multicast", Group, new Dictionary<string, object?> { ["port"] = port, ["hop_limit"] = 0 }, ignoreConfig: true);
        using var process = CanudpProcess.Start("gen", "-i", "udp_multicast", "-c", Group, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--hop-limit", "0", "--rate", "100");
        await process.WaitForOutputAsync("gen: sending frames until Ctrl+C", Timeout);
        listener.Receive(Timeout).Should().NotBeNull($"gen sends until interrupted; stderr: {process.Error}");

        process.Interrupt();
        var exit = await process.WaitForExitAsync(Timeout);

        exit.Should().Be(0, process.Error);
        process.Error.Should().MatchRegex(@"gen: [1-9][\d,]* frames? sent in ");
    }
}
