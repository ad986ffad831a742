using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using CanUdpMulticast.Faults.Tests.Support;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Faults.Tests;

/// <summary>
/// Three hosts on a bridge, two running this library and one python-can 4.1.0: with hop limit 1 every host receives
/// every other host's frames, with hop limit 0 nothing leaves a host (yet each sends, as a second bus on the same host
/// sees). IPv4 and IPv6.
/// </summary>
[Collection(FaultGroup.Name)]
public sealed class BridgeTests
{
    private const uint PythonId = 0x300;

    [SkippableTheory]
    [InlineData(AddressFamily.InterNetwork, 1)]
    [InlineData(AddressFamily.InterNetwork, 0)]
    [InlineData(AddressFamily.InterNetworkV6, 1)]
    [InlineData(AddressFamily.InterNetworkV6, 0)]
    public void ThreeHosts_WithPythonCanPeer_HopLimitDecidesWhoReceives(AddressFamily family, int hopLimit)
    {
        RequireMulticast(family);
        Skip.IfNot(File.Exists("/usr/bin/python3"), "python-can peer needs /usr/bin/python3 with python3-can");
        using var hosts = new BridgedHosts();
        var group = NewGroup(family);
        var count = FaultScale.BridgeFrames;
        var options = Options(group) with { HopLimit = hopLimit };

        // Hosts 0 and 1: this library, each with a sending/receiving bus and a second, local listener.
        var buses = Enumerable.Range(0, 2).Select(i => hosts.Hosts[i].Invoke(() =>
        {
            var o = options with { NetworkInterface = hosts.Links[i] };
            return (Bus: new UdpMulticastBus(o), Local: new UdpMulticastBus(o));
        })).ToList();
        using var python = FaultProcesses.Python(hosts.Hosts[2].Path, "fault_peer.py",
            "--group", group, "--port", TestPort.ToString(CultureInfo.InvariantCulture), "--hop-limit", hopLimit.ToString(CultureInfo.InvariantCulture),
            "--id", "0x300", "--count", count.ToString(CultureInfo.InvariantCulture));
        try
        {
            python.ExpectLine("READY", TimeSpan.FromSeconds(20));
            var tallies = buses.Select(_ => (Bus: new ConcurrentDictionary<uint, long>(), Local: new ConcurrentDictionary<uint, long>())).ToList();
            using var stop = new CancellationTokenSource();
            var readers = buses.SelectMany((b, i) => new[]
            {
                Reader(hosts.Hosts[i], b.Bus, tallies[i].Bus, stop.Token),
                Reader(hosts.Hosts[i], b.Local, tallies[i].Local, stop.Token),
            }).ToList();

            python.WriteLine("GO");
            var senders = buses.Select((b, i) => Task.Run(() =>
            {
                var data = new byte[8];
                for (var n = 0; n < count; n++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(data, n);
                    b.Bus.Send(new CanMessage((uint)(0x100 * (i + 1)), data));
                    Thread.Sleep(1);
                }
            })).ToArray();
            Task.WaitAll(senders);
            var result = JsonDocument.Parse(python.ExpectLine("RESULT", TimeSpan.FromSeconds(60))["RESULT ".Length..]).RootElement;
            stop.Cancel();
            Task.WaitAll([.. readers]);

            long PythonGot(uint id) => result.GetProperty("received").TryGetProperty(id.ToString(CultureInfo.InvariantCulture), out var v) ? v.GetInt64() : 0;
            result.GetProperty("sent").GetInt64().Should().Be(count);
            var expectedRemote = hopLimit == 0 ? 0 : count;
            var summary = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                var own = (uint)(0x100 * (i + 1));
                var other = (uint)(0x100 * (2 - i));
                var bus = buses[i].Bus;
                var got = tallies[i].Bus;
                got.GetValueOrDefault(own).Should().Be(0, "receive_own_messages is off");
                tallies[i].Local.GetValueOrDefault(own).Should().Be(count, $"host {i}'s frames reach a second bus on the same host (they were sent)");
                var remoteExpected = 2L * expectedRemote;
                var remoteGot = got.GetValueOrDefault(other) + got.GetValueOrDefault(PythonId);
                // Loss accounting for the loss on this host: what arrived from the others plus what this receiver says it dropped.
                (remoteGot + bus.Statistics.FramesDropped).Should().Be(remoteExpected, $"host {i} (hop limit {hopLimit}) gets every frame of the other two hosts, or reports it dropped");
                bus.Statistics.FramesDropped.Should().Be(0, "a bridge at this rate loses nothing");
                PythonGot(own).Should().Be(expectedRemote, $"python-can receives host {i}'s frames with hop limit {hopLimit}");
                summary.Add($"host{i}: fromOthers={remoteGot} local={tallies[i].Local.GetValueOrDefault(own)} dropped={bus.Statistics.FramesDropped}");
            }

            PythonGot(PythonId).Should().Be(count, "python-can loops its own frames back: it did send them");
            FaultReport.Add($"bridge {family} hop {hopLimit}", $"framesPerHost={count} {string.Join(' ', summary)} python: {result.GetProperty("received")}");
        }
        finally
        {
            foreach (var (bus, local) in buses)
            {
                bus.Dispose();
                local.Dispose();
            }
        }
    }

    // Readers run on threads inside the host's namespace, like every thread of a real process on that host: the bus
    // recognises its own echoes by probing its local addresses from the receiving thread.
    private static Task<int> Reader(NetworkNamespace host, UdpMulticastBus bus, ConcurrentDictionary<uint, long> tally, CancellationToken stop) => Task.Factory.StartNew(
        () => host.Invoke(() =>
        {
            var batch = new CanMessage[32];
            while (!stop.IsCancellationRequested)
            {
                var n = bus.ReceiveBatch(batch, TimeSpan.FromMilliseconds(50));
                for (var i = 0; i < n; i++)
                {
                    tally.AddOrUpdate(batch[i].ArbitrationId, 1, (_, v) => v + 1);
                }
            }

            return 0;
        }),
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);
}
