using CanUdpMulticast.Cli.Tests.Support;

namespace CanUdpMulticast.Cli.Tests.Commands;

/// <summary>Ctrl+C (the cancellation token the process ties to SIGINT) ends every long-running command cleanly, with its summary and exit code 0.</summary>
public sealed class CtrlCTests
{
    private static async Task<CliResult> InterruptAfterAsync(string[] args, string startedWhen)
    {
        using var cts = new CancellationTokenSource();
        using var canudp = new Canudp();
        var running = canudp.StartAsync(args, cts.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!canudp.ErrorSoFar.Contains(startedWhen, StringComparison.Ordinal) && !running.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await Task.Delay(100);
        running.IsCompleted.Should().BeFalse("the command runs until interrupted");
        await cts.CancelAsync();
        return await running.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Send_Forever_CtrlCPrintsHowManyWereSent()
    {
        var result = await InterruptAfterAsync(["send", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--count", "0", "--interval", "10ms", "123#01"], string.Empty);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Error.Should().MatchRegex(@"send: [1-9]\d* frames? sent in ");
    }

    [Fact]
    public async Task Gen_Forever_CtrlCPrintsTheSummary()
    {
        var result = await InterruptAfterAsync(["gen", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--rate", "200"], "gen: sending");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Error.Should().MatchRegex(@"gen: [1-9][\d,]* frames? sent in .* frames/s");
    }

    [Fact]
    public async Task Replay_LongRecording_CtrlCPrintsTheSummary()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.log");
        await File.WriteAllTextAsync(path, "(1.0) can0 001#01\n(100.0) can0 002#02\n");
        try
        {
            var result = await InterruptAfterAsync(["replay", path, "-i", "virtual", "-c", Canudp.UniqueChannel()], string.Empty);

            result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
            result.Error.Should().Contain("replay: 1 frame sent");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Demo_CtrlCStillGivesTheVerdict()
    {
        using var cts = new CancellationTokenSource();
        using var canudp = new Canudp();
        var running = canudp.StartAsync(["demo", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--duration", "30"], cts.Token);
        await Task.Delay(500);
        await cts.CancelAsync();
        var result = await running.WaitAsync(TimeSpan.FromSeconds(20));

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.OutLines[^1].Should().MatchRegex(@"^demo: (\d+) sent, \1 received");
    }

    [Fact]
    public async Task Bridge_CtrlCPrintsTheCounts()
    {
        var result = await InterruptAfterAsync(["bridge", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--bus2-interface", "virtual", "--bus2-channel", Canudp.UniqueChannel()], "bridge: ");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Error.Should().Contain("bridge: 0 frames bus 1 -> bus 2, 0 frames bus 2 -> bus 1");
    }
}
