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

        return await InterruptAsync(cts, running);
    }

    /// <summary>
    /// Interrupts a sending command once its first frame has arrived on <paramref name="channel"/> (a fixed delay after
    /// start raced the command's first send on a loaded machine: "0 frames sent").
    /// </summary>
    private static async Task<CliResult> InterruptAfterFirstFrameAsync(string[] args, string channel)
    {
        using var listener = CanBus.Create("virtual", channel, ignoreConfig: true);
        using var cts = new CancellationTokenSource();
        using var canudp = new Canudp();
        var running = canudp.StartAsync(args, cts.Token);
        var first = await Task.Run(() => listener.Receive(TimeSpan.FromSeconds(20)));

        first.Should().NotBeNull($"the command sends before it is interrupted; stderr so far: {canudp.ErrorSoFar}");
        return await InterruptAsync(cts, running);
    }

    private static async Task<CliResult> InterruptAsync(CancellationTokenSource cts, Task<CliResult> running)
    {
        await Task.Delay(100);
        running.IsCompleted.Should().BeFalse("the command runs until interrupted");
        await cts.CancelAsync();
        return await running.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Send_Forever_CtrlCPrintsHowManyWereSent()
    {
        var channel = Canudp.UniqueChannel();
        var result = await InterruptAfterFirstFrameAsync(["send", "-i", "virtual", "-c", channel, "--count", "0", "--interval", "10ms", "123#01"], channel);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Error.Should().MatchRegex(@"send: [1-9]\d* frames? sent in ");
    }

    [Fact]
    public async Task Gen_Forever_CtrlCPrintsTheSummary()
    {
        var channel = Canudp.UniqueChannel();
        var result = await InterruptAfterFirstFrameAsync(["gen", "-i", "virtual", "-c", channel, "--rate", "200"], channel);

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
            var channel = Canudp.UniqueChannel();
            var result = await InterruptAfterFirstFrameAsync(["replay", path, "-i", "virtual", "-c", channel], channel);

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
