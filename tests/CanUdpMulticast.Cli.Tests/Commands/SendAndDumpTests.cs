using CanUdpMulticast.Cli.Tests.Support;

namespace CanUdpMulticast.Cli.Tests.Commands;

/// <summary><c>send</c> -> <c>dump -n</c> on the in-process virtual interface, exactly as typed in a shell.</summary>
public sealed class SendAndDumpTests
{
    [Fact]
    public async Task Dump_SeesTheFramesSendSends_InCandumpFormat()
    {
        var channel = Canudp.UniqueChannel();
        using var dump = new Canudp();
        var dumping = dump.StartAsync(["dump", "-i", "virtual", "-c", channel, "-n", "4", "--timeout", "10"], CancellationToken.None);
        await Canudp.WaitForChannelAsync(channel);

        var send = await Canudp.RunAsync("send", "-i", "virtual", "-c", channel, "123#112233", "12345678#00", "123#R4", "123##1AABB");
        var dumped = await dumping;

        send.ExitCode.Should().Be(ExitCodes.Ok, send.ToString());
        send.Error.Should().Contain("4 frames sent");
        dumped.ExitCode.Should().Be(ExitCodes.Ok, dumped.ToString());
        var name = channel.PadLeft(channel.Length);
        dumped.OutLines.Should().Equal(
            $"  {name}  123   [3]  11 22 33",
            $"  {name}  12345678   [1]  00",
            $"  {name}       123   [4]  remote request",
            $"  {name}       123  [02]  AA BB");
        dumped.Error.Should().Contain("dump: 4 frames of 4 received");
    }

    [Fact]
    public async Task Dump_LogFormat_PrintsCandumpLLinesWithTimestamps()
    {
        var channel = Canudp.UniqueChannel();
        using var dump = new Canudp();
        var dumping = dump.StartAsync(["dump", "-i", "virtual", "-c", channel, "-n", "2", "-L", "--timeout", "10"], CancellationToken.None);
        await Canudp.WaitForChannelAsync(channel);

        await Canudp.RunAsync("send", "-i", "virtual", "-c", channel, "--count", "2", "7FF#DEADBEEF");
        var dumped = await dumping;

        dumped.OutLines.Should().HaveCount(2).And.AllSatisfy(line =>
            line.Should().MatchRegex($@"^\(\d{{10}}\.\d{{6}}\) {channel} 7FF#DEADBEEF$"));
    }

    [Fact]
    public async Task Dump_PythonFormat_PrintsCanMessageToString()
    {
        var channel = Canudp.UniqueChannel();
        using var dump = new Canudp();
        var dumping = dump.StartAsync(["dump", "-i", "virtual", "-c", channel, "-n", "1", "--format", "python", "--timeout", "10"], CancellationToken.None);
        await Canudp.WaitForChannelAsync(channel);

        await Canudp.RunAsync("send", "-i", "virtual", "-c", channel, "123#0102");
        var dumped = await dumping;

        dumped.OutLines.Should().ContainSingle().Which.Should().MatchRegex(@"^Timestamp: +\d+\.\d{6}    ID:      123    S Rx .*DL:  2    01 02 +Channel: " + channel + "$");
    }

    [Fact]
    public async Task Dump_Filter_PassesOnlyMatchingIds()
    {
        var channel = Canudp.UniqueChannel();
        using var dump = new Canudp();
        var dumping = dump.StartAsync(["dump", "-i", "virtual", "-c", channel, "-n", "2", "--filter", "100:7F0", "--filter", "300:7FF", "--timeout", "10"], CancellationToken.None);
        await Canudp.WaitForChannelAsync(channel);

        await Canudp.RunAsync("send", "-i", "virtual", "-c", channel, "200#01", "105#02", "301#03", "300#04");
        var dumped = await dumping;

        dumped.OutLines.Select(l => l.Trim()).Should().Equal($"{channel}  105   [1]  02", $"{channel}  300   [1]  04");
    }

    [Fact]
    public async Task Dump_CountNotReachedBeforeTimeout_FailsWithExitCode1AndSaysSo()
    {
        var result = await Canudp.RunAsync("dump", "-i", "virtual", "-c", Canudp.UniqueChannel(), "-n", "5", "--timeout", "0.2");

        result.ExitCode.Should().Be(ExitCodes.Failure);
        result.Error.Should().Contain("0 frames of 5").And.Contain("no frame for 0.200 s");
    }

    [Fact]
    public async Task Dump_CtrlC_EndsCleanlyWithSummaryAndExitCode0()
    {
        using var cts = new CancellationTokenSource();
        var channel = Canudp.UniqueChannel();
        using var dump = new Canudp();
        var dumping = dump.StartAsync(["dump", "-i", "virtual", "-c", channel], cts.Token);
        await Canudp.WaitForChannelAsync(channel);
        await Canudp.RunAsync("send", "-i", "virtual", "-c", channel, "123#01");

        await cts.CancelAsync();
        var result = await dumping.WaitAsync(TimeSpan.FromSeconds(10));

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Error.Should().Contain("dump: 1 frame received");
    }

    [Fact]
    public async Task Send_CountAndInterval_RepeatsTheFramesInOrder()
    {
        var channel = Canudp.UniqueChannel();
        using var dump = new Canudp();
        var dumping = dump.StartAsync(["dump", "-i", "virtual", "-c", channel, "-n", "6", "-L", "--timeout", "10"], CancellationToken.None);
        await Canudp.WaitForChannelAsync(channel);

        var send = await Canudp.RunAsync("send", "-i", "virtual", "-c", channel, "--count", "3", "--interval", "10ms", "001#01", "002#02");
        var dumped = await dumping;

        send.ExitCode.Should().Be(ExitCodes.Ok);
        dumped.OutLines.Select(l => l.Split(' ')[2]).Should().Equal("001#01", "002#02", "001#01", "002#02", "001#01", "002#02");
    }

    [Fact]
    public async Task Dump_InterfaceFromEnvironment_IsUsedWhenNoneIsGiven()
    {
        var channel = Canudp.UniqueChannel();
        using var dump = new Canudp(environment: new Dictionary<string, string> { ["CAN_INTERFACE"] = "virtual", ["CAN_CHANNEL"] = channel });
        var dumping = dump.StartAsync(["dump", "-n", "1", "--timeout", "10"], CancellationToken.None);
        await Canudp.WaitForChannelAsync(channel);

        await Canudp.RunAsync("send", "-i", "virtual", "-c", channel, "321#");
        var dumped = await dumping;

        dumped.ExitCode.Should().Be(ExitCodes.Ok, dumped.ToString());
        dumped.OutLines.Should().ContainSingle().Which.Should().Contain("321   [0]");
    }

    [Fact]
    public async Task Dump_IgnoreConfig_DoesNotReadTheEnvironment()
    {
        using var dump = new Canudp(environment: new Dictionary<string, string> { ["CAN_INTERFACE"] = "no_such_interface" });

        var viaEnvironment = await dump.StartAsync(["dump", "-n", "1", "--timeout", "0.1"], CancellationToken.None);
        viaEnvironment.ExitCode.Should().Be(ExitCodes.Usage);
        viaEnvironment.Error.Should().Contain("no_such_interface");

        using var ignoring = new Canudp(environment: new Dictionary<string, string> { ["CAN_INTERFACE"] = "no_such_interface" });
        var ignored = await ignoring.StartAsync(["dump", "-i", "virtual", "--ignore-config", "-n", "1", "--timeout", "0.1"], CancellationToken.None);
        ignored.Error.Should().NotContain("no_such_interface");
    }
}
