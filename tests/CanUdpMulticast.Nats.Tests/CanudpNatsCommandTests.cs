using CanUdpMulticast.Nats.Tests.Support;
using CanUdpMulticast.Testing;

namespace CanUdpMulticast.Nats.Tests;

/// <summary>The canudp tool with the nats interface and the JetStream commands, run as a child process.</summary>
public sealed class CanudpNatsCommandTests : IDisposable
{
    private readonly NatsServerProcess _server = NatsServerProcess.Start(jetStream: true);

    public void Dispose() => _server.Dispose();

    [Fact]
    public void DumpAndSend_WithInterfaceNats_CarryAFrame()
    {
        using var dump = Canudp("dump", "-i", "nats", "-c", "lab1.bench3", "--bus-option", $"servers={_server.Url}", "-n", "1");
        dump.ExpectStandardError("listening", TimeSpan.FromSeconds(30));
        using (var send = Canudp("send", "-i", "nats", "-c", "lab1.bench3", "--bus-option", $"servers={_server.Url}", "123#DEADBEEF"))
        {
            send.WaitForExit(TimeSpan.FromSeconds(30)).Should().Be(0, send.StandardError);
        }

        dump.ExpectLine("  vcan0  123   [4]  DE AD BE EF", TimeSpan.FromSeconds(10));
        dump.WaitForExit(TimeSpan.FromSeconds(10)).Should().Be(0);
    }

    [Fact]
    public void NatsRecordExportReplay_RecordsServerSideAndReadsBack()
    {
        var bus = new[] { "-c", "rec1", "--bus-option", $"servers={_server.Url}" };
        using (var record = Canudp(["nats-record", .. bus, "--max-age", "01:00:00"]))
        {
            record.ExpectLine("nats-record: stream CAN_REC1 (can.rec1.>): 0 frames", TimeSpan.FromSeconds(30));
        }

        using (var send = Canudp(["send", "-i", "nats", .. bus, "123#01", "1ABCDE12#0203"]))
        {
            send.WaitForExit(TimeSpan.FromSeconds(30)).Should().Be(0, send.StandardError);
        }

        var path = Path.Combine(_server.Directory, "export.log");
        using (var export = Canudp(["nats-export", path, .. bus]))
        {
            export.WaitForExit(TimeSpan.FromSeconds(30)).Should().Be(0, export.StandardError);
            export.StandardError.Should().Contain("2 frames");
        }

        File.ReadAllLines(path).Select(l => l.Split(' ')[2]).Should().Equal("123#01", "1ABCDE12#0203");
        using var replay = Canudp(["nats-replay", .. bus, "--to-interface", "virtual", "--to-channel", "x"]);
        replay.WaitForExit(TimeSpan.FromSeconds(30)).Should().Be(0, replay.StandardError);
        replay.StandardError.Should().Contain("nats-replay: 2 frames");
    }

    private static ChildProcess Canudp(params string[] arguments) =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "canudp.dll"), .. arguments]);
}
