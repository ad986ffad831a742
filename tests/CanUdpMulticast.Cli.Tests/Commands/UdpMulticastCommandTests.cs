using CanUdpMulticast.Cli.LogFiles;
using CanUdpMulticast.Cli.Tests.Support;

namespace CanUdpMulticast.Cli.Tests.Commands;

/// <summary>
/// The commands on the real UDP multicast bus, as separate processes where a user would use them so: only inside
/// the private network namespace, hop limit 0, a port per test.
/// </summary>
public sealed class UdpMulticastCommandTests : IDisposable
{
    private const string Ipv4Group = "239.74.163.2";
    private const string Ipv6Group = "ff15:7079:7468:6f6e:6465:6d6f:6d63:6173";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("canudp-udp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string[] Bus(int port, string group = Ipv4Group) =>
        ["-i", "udp_multicast", "-c", group, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--hop-limit", "0"];

    [SkippableFact]
    public async Task SendProcess_DumpProcess_SeesTheFrames()
    {
        NetworkNamespace.Require();
        var port = NetworkNamespace.UniquePort();
        using var dump = CanudpProcess.Start(["dump", .. Bus(port), "-n", "4", "-L", "--timeout", "20"]);
        await dump.WaitForOutputAsync("dump: listening", Timeout);

        var send = await CanudpProcess.RunAsync(Timeout, ["send", .. Bus(port), "123#112233", "12345678#00", "123#R4", "123##1AABB"]);
        var exit = await dump.WaitForExitAsync(Timeout);

        send.Exit.Should().Be(0, send.Error);
        exit.Should().Be(0, dump.Error);
        dump.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[2])
            .Should().Equal("123#112233", "12345678#00", "123#R4", "123##1AABB");
    }

    [SkippableFact]
    public async Task GenLogReplayDump_OverUdp_KeepsAllFramesAndOrder()
    {
        NetworkNamespace.Require();
        var path = Path.Combine(_dir, "udp.log");
        var recordPort = NetworkNamespace.UniquePort();
        var playPort = NetworkNamespace.UniquePort();

        using var log = CanudpProcess.Start(["log", path, .. Bus(recordPort), "-n", "1000", "--timeout", "20"]);
        await log.WaitForOutputAsync("log: connected", Timeout);
        var gen = await CanudpProcess.RunAsync(Timeout, ["gen", .. Bus(recordPort), "--count", "1000", "--rate", "2000", "--id", "i", "--data", "i", "--length", "8"]);
        gen.Exit.Should().Be(0, gen.Error);
        (await log.WaitForExitAsync(Timeout)).Should().Be(0, log.Error);
        var recorded = LogFileFormats.OpenReader(path).ToList();
        recorded.Select(f => f.ArbitrationId).Should().Equal(Enumerable.Range(0, 1000).Select(i => (uint)i));

        using var dump = CanudpProcess.Start(["dump", .. Bus(playPort), "-n", "1000", "-L", "--timeout", "20"]);
        await dump.WaitForOutputAsync("dump: listening", Timeout);
        var replay = await CanudpProcess.RunAsync(Timeout, ["replay", path, .. Bus(playPort)]);
        replay.Exit.Should().Be(0, replay.Error);
        (await dump.WaitForExitAsync(Timeout)).Should().Be(0, dump.Error);

        dump.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[2])
            .Should().Equal(recorded.Select(f => IO.CanFrameText.Format(f)));
    }

    [SkippableFact]
    public async Task Bridge_Ipv4AndIpv6Groups_CopiesBothWaysOnceWithoutEchoes()
    {
        NetworkNamespace.Require();
        var port = NetworkNamespace.UniquePort();
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var cts = new CancellationTokenSource();
        using var bridge = new Canudp();
        var bridging = bridge.StartAsync(
            ["bridge", .. Bus(port), "--bus2-interface", "udp_multicast", "--bus2-channel", Ipv6Group, "--bus2-port", portText, "--bus2-hop-limit", "0", "--bus2-net-interface", NetworkNamespace.Ipv6Interface],
            cts.Token);
        await WaitForAsync(() => bridge.ErrorSoFar.Contains("bridge: ", StringComparison.Ordinal) || bridging.IsCompleted);
        bridging.IsCompleted.Should().BeFalse(bridging.IsCompleted ? bridging.Result.ToString() : string.Empty);

        var v4Options = new Dictionary<string, object?> { ["port"] = port, ["hop_limit"] = 0 };
        var v6Options = new Dictionary<string, object?> { ["port"] = port, ["hop_limit"] = 0, ["network_interface"] = NetworkNamespace.Ipv6Interface };
        using var nodeV4 = CanBus.Create("udp_multicast", Ipv4Group, v4Options, ignoreConfig: true);
        using var nodeV6 = CanBus.Create("udp_multicast", Ipv6Group, v6Options, ignoreConfig: true);
        using var listenerV4 = CanBus.Create("udp_multicast", Ipv4Group, v4Options, ignoreConfig: true);
        using var listenerV6 = CanBus.Create("udp_multicast", Ipv6Group, v6Options, ignoreConfig: true);
        for (var i = 0; i < 20; i++)
        {
            nodeV4.Send(new CanMessage(0x100, [(byte)i]));
            nodeV6.Send(new CanMessage(0x200, [(byte)i]));
            await Task.Delay(2);
        }

        var onV6 = Drain(listenerV6, 40);
        var onV4 = Drain(listenerV4, 40);
        await cts.CancelAsync();
        var result = await bridging.WaitAsync(Timeout);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        onV6.Where(f => f.ArbitrationId == 0x100).Select(f => f.Data[0]).Should().Equal(Enumerable.Range(0, 20).Select(i => (byte)i), "IPv4 frames reach the IPv6 group once, in order");
        onV4.Where(f => f.ArbitrationId == 0x200).Select(f => f.Data[0]).Should().Equal(Enumerable.Range(0, 20).Select(i => (byte)i), "IPv6 frames reach the IPv4 group once, in order");
        onV4.Count(f => f.ArbitrationId == 0x100).Should().Be(20, "no IPv4 frame comes back through the bridge");
        onV6.Count(f => f.ArbitrationId == 0x200).Should().Be(20, "no IPv6 frame comes back through the bridge");
        result.Error.Should().Contain("20 frames bus 1 -> bus 2, 20 frames bus 2 -> bus 1");
    }

    [SkippableFact]
    public async Task Demo_DefaultsOnUdp_SaysItWorks()
    {
        NetworkNamespace.Require();
        var (exit, output, error) = await CanudpProcess.RunAsync(Timeout, "demo", "--port", NetworkNamespace.UniquePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "1", "--rate", "20");

        exit.Should().Be(0, output + error);
        output.Should().Contain("hop limit 0");
        output.Should().MatchRegex(@"demo: (\d+) sent, \1 received in .* on udp_multicast, hop limit 0: all frames arrived: it works\.");
    }

    [SkippableFact]
    public async Task Detect_ListsUdpMulticastGroups()
    {
        NetworkNamespace.Require();
        var result = await Canudp.RunAsync("detect", "-i", "udp_multicast");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Out.Should().Contain("-i udp_multicast -c 239.74.163.2", "piped: one line per configuration, addresses unbroken");
    }

    private static List<CanMessage> Drain(CanBus bus, int expected)
    {
        var frames = new List<CanMessage>();
        while (frames.Count < expected && bus.Receive(TimeSpan.FromSeconds(10)) is { } frame)
        {
            frames.Add(frame);
        }

        while (bus.Receive(TimeSpan.FromMilliseconds(300)) is { } extra)
        {
            frames.Add(extra);
        }

        return frames;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }
}
