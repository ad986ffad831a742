using CanUdpMulticast.Cli.Tests.Support;

namespace CanUdpMulticast.Cli.Tests.Commands;

public sealed class MonitorDetectDemoTests
{
    [Fact]
    public async Task Monitor_NotATerminal_PrintsTheFinalTableWithOneRowPerId()
    {
        var channel = Canudp.UniqueChannel();
        using var cts = new CancellationTokenSource();
        using var monitor = new Canudp();
        var monitoring = monitor.StartAsync(["monitor", "-i", "virtual", "-c", channel], cts.Token);
        await Canudp.WaitForChannelAsync(channel);

        await Canudp.RunAsync("send", "-i", "virtual", "-c", channel, "--count", "3", "123#0011", "18FF1234#AA");
        await Canudp.RunAsync("send", "-i", "virtual", "-c", channel, "123#0099");
        // The table is printed at the end: interrupt only once the receive loop has taken all 7 frames (a fixed 200 ms
        // was not always enough on a loaded machine).
        await WaitUntilAsync(() => ChannelMeter.FramesReceived(channel) >= 7, TimeSpan.FromSeconds(20));
        await cts.CancelAsync();
        var result = await monitoring.WaitAsync(TimeSpan.FromSeconds(10));

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        var table = result.ConsoleOutput;
        table.Should().MatchRegex(@"│\s+123\s+│\s+4\s+│[^│]+ms\s+│\s+2\s+│\s+00 99\s+│");
        table.Should().MatchRegex(@"│\s+18FF1234\s+│\s+3\s+│[^│]+│\s+1\s+│\s+AA\s+│");
        table.Should().Contain("7 frames · 2 ids");
        result.Error.Should().Contain("monitor: 7 frames from 2 ids");
    }

    [Fact]
    public async Task Monitor_Terminal_QuitsOnQ()
    {
        using var monitor = new Canudp(terminal: true);
        var keys = new QueuedKeys();
        var context = new CliContext
        {
            Out = monitor.Context.Out,
            Error = monitor.Context.Error,
            Console = monitor.Context.Console,
            OutputIsTerminal = true,
            Keys = keys,
            ConfigurationLoader = monitor.Context.ConfigurationLoader,
        };
        var running = Task.Run(() => CanudpApp.RunAsync(["monitor", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--refresh", "20ms"], context, CancellationToken.None));
        await Task.Delay(200);
        running.IsCompleted.Should().BeFalse("monitor runs until told to stop");

        keys.Press('q');
        var exit = await running.WaitAsync(TimeSpan.FromSeconds(10));

        exit.Should().Be(ExitCodes.Ok);
    }

    [Fact]
    public async Task Detect_ListsVirtualConfigurationsAsATable()
    {
        var result = await Canudp.RunAsync("detect", "-i", "virtual");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Out.Should().StartWith("INTERFACE").And.Contain("virtual").And.Contain("-i virtual -c channel-");
        result.Error.Should().MatchRegex(@"detect: [1-9]\d* configuration\(s\) from 1 interface\(s\): virtual");
    }

    [Fact]
    public async Task Demo_OnVirtual_ShowsFramesAndSaysItWorks()
    {
        // The five kinds of frame are the first five slots: at 400 frames/s they are due in the first 12 ms, so a stall of
        // the test machine does not end the run before all were sent (at 40 frames/s a 0.56 s stall after the third did).
        var result = await Canudp.RunAsync("demo", "-i", "virtual", "-c", Canudp.UniqueChannel("demo"), "--duration", "0.5", "--rate", "400");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        var lines = result.OutLines;
        lines[0].Should().StartWith("demo: receiver and sender on Virtual bus channel");
        lines.Should().Contain(l => l.Contains("100   [8]", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("remote request", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("[16]", StringComparison.Ordinal), "the demo shows a CAN FD frame");
        lines[^1].Should().MatchRegex(@"^demo: (\d+) sent, \1 received in .* all frames arrived: it works\.$");
    }

    [Fact]
    public async Task Gen_OnATerminal_ShowsAProgressBarWithTheRate()
    {
        using var gen = new Canudp(terminal: true);
        var result = await gen.StartAsync(["gen", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--count", "200", "--gap", "0"], CancellationToken.None);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.ConsoleOutput.Should().Contain("gen 200/200").And.Contain("frames/s").And.Contain("100%");
        result.Error.Should().Contain("gen: 200 frames sent");
    }

    [Fact]
    public async Task Gen_NotATerminal_ShowsNoProgressBar()
    {
        var result = await Canudp.RunAsync("gen", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--count", "50", "--gap", "0");

        result.ExitCode.Should().Be(ExitCodes.Ok);
        result.ConsoleOutput.Should().BeEmpty();
        result.Out.Should().BeEmpty();
    }

    [Fact]
    public async Task Gen_Rate_KeepsTheRequestedPace()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await Canudp.RunAsync("gen", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--count", "50", "--rate", "100");
        started.Stop();

        result.ExitCode.Should().Be(ExitCodes.Ok);
        started.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.48), "50 frames at 100/s take 0.49 s from the first to the last");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }
    }

    private sealed class QueuedKeys : IKeySource
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<char> _keys = new();

        public void Press(char key) => _keys.Enqueue(key);

        public bool TryReadKey(out char key) => _keys.TryDequeue(out key);
    }
}
