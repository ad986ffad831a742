using System.Globalization;
using System.Text.Json.Nodes;
using CanUdpMulticast.Nats.Tests.Support;
using CanUdpMulticast.Testing;

namespace CanUdpMulticast.Nats.Tests;

/// <summary>
/// Three sites, each a private LAN (its own namespace) with python-can 4.1.0 on udp_multicast and a
/// <c>canudp bridge</c> udp_multicast &lt;-&gt; nats to a nats-server in a hub namespace reached over a veth link.
/// </summary>
[Collection(SiteBridgeTests.Alone)]
public sealed class SiteBridgeTests
{
    /// <summary>Runs without other test classes: python-can's receivers lose frames when the CPU is busy elsewhere.</summary>
    public const string Alone = "sites (alone)";

    private const string Python = "/usr/bin/python3";
    private const string Group = "239.74.163.2";
    private const string Port = "43113";
    private const int Count = 1000;
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(30);

    [Fact]
    public void Bridge_ThreeSites_EveryFrameOfEveryKindArrivesOnEveryOtherLanExactlyOnceInOrder()
    {
        using var network = SiteNetwork.Create(sites: 3);
        using var server = NatsServerProcess.Start(port: SiteNetwork.NatsPort, networkNamespace: network.Hub);
        var bridges = network.Sites.Select((site, i) => StartBridge(site, i)).ToList();
        try
        {
            foreach (var bridge in bridges)
            {
                bridge.ExpectStandardError("Ctrl+C to stop", Start);
            }

            // A -> B and C (A's own LAN must carry each frame once: nothing comes back through its bridge).
            RunPhase(network, from: 0, frames: Frames(seed: 1), bridges);
            // B -> A and C: the other way.
            RunPhase(network, from: 1, frames: Frames(seed: 2), bridges);
        }
        finally
        {
            foreach (var bridge in bridges)
            {
                bridge.Dispose();
            }
        }
    }

    private static void RunPhase(SiteNetwork network, int from, List<JsonObject> frames, List<ChildProcess> bridges)
    {
        var receivers = network.Sites.Select(site => Python3(site, "pycan_recv.py", "--group", Group, "--port", Port, "--count", (Count + 1).ToString(CultureInfo.InvariantCulture), "--idle", "4",
            // 8 MB: on a loaded 2-core machine a receiver can stall for a second or more; the bridge under test must
            // not be blamed for frames python's default ~200 kB socket buffer drops meanwhile.
            "--rcvbuf", "8388608")).ToList();
        try
        {
            foreach (var receiver in receivers)
            {
                receiver.ExpectLine("READY", Start);
            }

            using (var sender = Python3(network.Sites[from], "pycan_send.py", "--group", Group, "--port", Port))
            {
                // Paced (about 300 frames/s): python-can's receivers print each frame as JSON and would otherwise
                // overflow their sockets' buffers, which is python's loss, not the bridge's.
                foreach (var frame in frames)
                {
                    sender.WriteLine(frame.ToJsonString());
                    Thread.Sleep(3);
                }

                sender.CloseInput();
                sender.ExpectLine("SENT", Start).Should().Be($"SENT {Count}");
            }

            for (var site = 0; site < receivers.Count; site++)
            {
                var lines = new List<string>();
                string? line;
                while ((line = receivers[site].ReadLine(TimeSpan.FromSeconds(30))) is not null && !line.StartsWith("DONE", StringComparison.Ordinal))
                {
                    lines.Add(line);
                }

                if (line != $"DONE {Count}")
                {
                    foreach (var bridge in bridges)
                    {
                        bridge.Interrupt();
                        bridge.WaitForExit(TimeSpan.FromSeconds(10));
                    }
                }

                line.Should().Be($"DONE {Count}", $"site {site} (sender at site {from}) receives each frame exactly once (got {line}, {lines.Count} lines); stderr: {receivers[site].StandardError}; bridges: {string.Join(" | ", bridges.Select(b => b.StandardError))}");
                for (var i = 0; i < Count; i++)
                {
                    var got = JsonNode.Parse(lines[i])!.AsObject();
                    foreach (var (key, value) in frames[i])
                    {
                        JsonNode.DeepEquals(got[key], value).Should().BeTrue($"site {site}, frame {i}, field {key}: got {got[key]?.ToJsonString()}, sent {value?.ToJsonString()}");
                    }
                }
            }
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                receiver.Dispose();
            }
        }
    }

    /// <summary>Every kind of frame, cycled: standard, extended, remote, error, FD with BRS/ESI (0 and 64 bytes), string/int/no channel.</summary>
    private static List<JsonObject> Frames(int seed)
    {
        var frames = new List<JsonObject>();
        for (var i = 0; i < Count; i++)
        {
            var n = (i * 7) + seed;
            var kind = i % 8;
            var extended = kind is 1 or 5;
            var id = extended ? (uint)(0x1000000 + n) & 0x1FFFFFFF : (uint)n & 0x7FF;
            var data = kind switch
            {
                2 => [],
                4 => Enumerable.Range(0, 64).Select(b => (byte)(b + n)).ToArray(),
                5 => [],
                _ => BitConverter.GetBytes(n).Take((i % 4) + 1).ToArray(),
            };
            var frame = new JsonObject
            {
                ["arbitration_id"] = id,
                ["is_extended_id"] = extended,
                ["is_remote_frame"] = kind == 2,
                ["is_error_frame"] = kind == 3,
                ["dlc"] = kind == 2 ? 3 : data.Length,
                ["data"] = Convert.ToHexString(data).ToLowerInvariant(),
                ["is_fd"] = kind is 4 or 5,
                ["bitrate_switch"] = kind == 4,
                ["error_state_indicator"] = kind is 4 or 5,
                ["channel"] = (i % 3) switch { 0 => JsonValue.Create("can0"), 1 => JsonValue.Create(i % 5), _ => null },
            };
            frames.Add(frame);
        }

        return frames;
    }

    private static ChildProcess StartBridge(string site, int index)
    {
        var canudp = Path.Combine(AppContext.BaseDirectory, "canudp.dll");
        var (file, arguments) = SiteNetwork.In(site, "dotnet", canudp, "bridge",
            "-i", "udp_multicast", "-c", Group, "--port", Port, "--hop-limit", "0",
            "--bus2-interface", "nats", "--bus2-channel", "sites", "--bus2-bus-option", $"servers={SiteNetwork.NatsUrlFor(index)}");
        return new ChildProcess(file, arguments);
    }

    private static ChildProcess Python3(string site, string script, params string[] arguments)
    {
        var (file, args) = SiteNetwork.In(site, Python, [Path.Combine(AppContext.BaseDirectory, "python", script), .. arguments]);
        return new ChildProcess(file, args);
    }
}
