using System.Text.RegularExpressions;
using CanUdpMulticast.Nats.Tests.Support;

namespace CanUdpMulticast.Nats.Tests;

public sealed partial class NatsFaultTests
{
    [Fact]
    public void ServerRestart_MidStream_BusesReconnectAndEveryLostFrameIsASequenceGap()
    {
        using var server = NatsServerProcess.Start();
        using var receiver = new NatsBus(Frames.Options(server.Url, "fault"));
        // A small allowance while disconnected: frames beyond it are dropped at the sender, so the outage really loses some.
        using var sender = new NatsBus(Frames.Options(server.Url, "fault") with { PendingWhileDisconnected = 50 });
        using var stream = new NumberedFrameFlow(sender, receiver);
        stream.SendUntilReceived(TimeSpan.FromSeconds(5));
        stream.SendMany(300);

        server.Kill();
        stream.SendMany(200); // while the connection dies: some buffered by the client, some lost
        Frames.WaitUntil(() => sender.State == CanBusState.Error && receiver.State == CanBusState.Error, TimeSpan.FromSeconds(10), "both see the loss");
        stream.SendMany(100);
        server.Restart();
        Frames.WaitUntil(() => sender.State == CanBusState.Active && receiver.State == CanBusState.Active, TimeSpan.FromSeconds(15), "both reconnected");
        stream.SendUntilReceived(TimeSpan.FromSeconds(10));
        stream.SendMany(300);
        Frames.WaitUntil(() => stream.ReceivedCount >= stream.Sent - stream.Tally().First + 1 - receiver.NatsStatistics.SequenceGaps, TimeSpan.FromSeconds(10), "the tail arrived");

        AssertEveryLossReported(stream, receiver, sender);
        sender.NatsStatistics.DroppedWhileDisconnected.Should().BeGreaterThan(0);
        stream.Tally().Lost.Should().BeGreaterThanOrEqualTo(sender.NatsStatistics.DroppedWhileDisconnected);
    }

    [Fact]
    public void ClusterNodeKilled_MidStream_BusesMoveToAnotherNodeAndEveryLostFrameIsASequenceGap()
    {
        using var cluster = ThreeNodeCluster.Start();
        var servers = cluster.Nodes.Select(n => n.Url).ToArray();
        using var receiver = new NatsBus(Frames.Options(servers[0], "cluster") with { Servers = servers });
        using var sender = new NatsBus(Frames.Options(servers[0], "cluster") with { Servers = servers });
        using var stream = new NumberedFrameFlow(sender, receiver);
        stream.SendUntilReceived(TimeSpan.FromSeconds(10));
        stream.SendMany(300);

        var victim = cluster.Nodes.Single(n => n.Port == sender.ConnectedPort);
        victim.Kill();
        stream.SendMany(200);
        Frames.WaitUntil(() => sender.State == CanBusState.Active && sender.ConnectedPort != victim.Port, TimeSpan.FromSeconds(15), "the sender moved to another node");
        Frames.WaitUntil(() => receiver.State == CanBusState.Active && receiver.ConnectedPort != victim.Port, TimeSpan.FromSeconds(15), "the receiver is on a live node");
        stream.SendUntilReceived(TimeSpan.FromSeconds(10));
        stream.SendMany(300);
        Frames.WaitUntil(() => stream.ReceivedCount >= stream.Sent - stream.Tally().First + 1 - receiver.NatsStatistics.SequenceGaps, TimeSpan.FromSeconds(10), "the tail arrived");

        sender.NatsStatistics.Disconnections.Should().BeGreaterThanOrEqualTo(1);
        AssertEveryLossReported(stream, receiver, sender);
    }

    [Fact]
    public void Send_WhileDisconnected_BlockMode_TimesOutClearly_DropMode_CountsWithoutWaiting()
    {
        using var server = NatsServerProcess.Start();
        using var blocking = new NatsBus(Frames.Options(server.Url, "down") with { PendingWhileDisconnected = 0, DisconnectedSendMode = NatsDisconnectedSendMode.Block });
        using var dropping = new NatsBus(Frames.Options(server.Url, "down") with { PendingWhileDisconnected = 0 });
        server.Kill();
        Frames.WaitUntil(() => blocking.State == CanBusState.Error && dropping.State == CanBusState.Error, TimeSpan.FromSeconds(10), "both see the loss");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var send = () => blocking.Send(new CanMessage { ArbitrationId = 1 }, TimeSpan.FromMilliseconds(300));

        send.Should().Throw<CanTimeoutException>().WithMessage($"*{server.Url}*");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        dropping.Send(new CanMessage { ArbitrationId = 1 }, TimeSpan.FromSeconds(10));
        dropping.NatsStatistics.DroppedWhileDisconnected.Should().Be(1);
        dropping.Statistics.FramesDropped.Should().Be(1);
    }

    private static void AssertEveryLossReported(NumberedFrameFlow stream, NatsBus receiver, NatsBus sender)
    {
        var (first, lost, duplicates) = stream.Tally();
        var stats = receiver.NatsStatistics;
        first.Should().Be(1, "the receiver heard the sender from its first frame");
        duplicates.Should().Be(0, "the application sees each frame once");
        stats.SequenceGaps.Should().Be(lost, $"sent {stream.Sent}, received {stream.ReceivedCount}; the gaps the receiver reports are exactly the frames that never arrived");
        // After a reconnect, frames the client buffered can arrive after newer ones: they are delivered late (un-counting
        // their gap); anything seen twice is dropped and counted.
        stats.Delivered.Should().Be(stream.ReceivedCount + stats.Duplicates);
        (stats.Disconnections + sender.NatsStatistics.Disconnections).Should().BeGreaterThanOrEqualTo(1);
        Console.WriteLine($"sent {stream.Sent}, lost {lost}, reported gaps {stats.SequenceGaps}, duplicates dropped {stats.Duplicates}, late {stats.LateArrivals}, sender dropped while disconnected {sender.NatsStatistics.DroppedWhileDisconnected}");
    }

    /// <summary>Three nats-server nodes routed to each other on loopback ports.</summary>
    private sealed partial class ThreeNodeCluster : IDisposable
    {
        private ThreeNodeCluster(NatsServerProcess[] nodes) => Nodes = nodes;

        public NatsServerProcess[] Nodes { get; }

        public static ThreeNodeCluster Start()
        {
            var routePorts = Enumerable.Range(0, 3).Select(_ => NatsServerProcess.FreePort()).ToArray();
            var routes = string.Join(",", routePorts.Select(p => $"nats://127.0.0.1:{p}"));
            var nodes = routePorts.Select((p, i) => NatsServerProcess.Start(extra:
                ["-n", $"n{i}", "--cluster_name", "c1", "--cluster", $"nats://127.0.0.1:{p}", "--routes", routes])).ToArray();
            var cluster = new ThreeNodeCluster(nodes);
            Frames.WaitUntil(() => nodes.All(n => RouteCreated().Count(n.Output) >= 2), TimeSpan.FromSeconds(15), "the routes are up");
            return cluster;
        }

        public void Dispose()
        {
            foreach (var node in Nodes)
            {
                node.Dispose();
            }
        }

        [GeneratedRegex("Route connection created")]
        private static partial Regex RouteCreated();
    }
}
