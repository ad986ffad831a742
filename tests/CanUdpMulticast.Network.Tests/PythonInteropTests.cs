using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using CanUdpMulticast.Testing.Python;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// Interop with the real python-can 4.1.0 (Debian python3-can) in both directions, IPv4 and IPv6: every kind of frame
/// arrives with every field equal, and 1000-frame bursts arrive complete. Each test uses its own port, because
/// python-can's socket receives every group joined on its port.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class PythonInteropTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(20);
    private static int s_nextPort = 43300;

    /// <summary>The frames both directions exchange: every kind python-can knows.</summary>
    public static CanMessage[] Frames { get; } =
    [
        new CanMessage(0x123, [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]),
        new CanMessage(0x1BCDEF01, [1, 2, 3, 4, 5, 6, 7, 8], isExtendedId: true) { Channel = "vcan0" },
        new CanMessage { ArbitrationId = 0x7FF, IsRemoteFrame = true, Dlc = 4 },
        new CanMessage(0x4, new byte[8], isExtendedId: true) { IsErrorFrame = true },
        new CanMessage(0x1234567, Enumerable.Range(0, 12).Select(i => (byte)i).ToArray(), isExtendedId: true)
        {
            IsFd = true, BitrateSwitch = true, ErrorStateIndicator = true, Channel = 1,
        },
        new CanMessage(0x0, []),
        new CanMessage(0x10, Enumerable.Range(0, 64).Select(i => (byte)(255 - i)).ToArray()) { IsFd = true, Channel = "kanal ü 🚗" },
        new CanMessage(0x7E0, [0x02, 0x10, 0x03]) { Channel = 0 },
    ];

    public static TheoryData<AddressFamily> Families => new() { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 };

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void DotNetToPython_EveryFrameKind_PythonReadsEveryFieldEqual(AddressFamily family)
    {
        var (group, port) = Prepare(family);
        using var python = PythonCanProcess.Start("pycan_recv.py", "--group", group, "--port", Text(port), "--count", Text(Frames.Length));
        python.ExpectLine("READY", Startup);
        using var bus = new UdpMulticastBus(MulticastTestEnvironment.Options(group) with { Port = port });

        var before = CanClock.Now();
        foreach (var frame in Frames)
        {
            bus.Send(frame);
        }

        var received = ReadFrames(python, Frames.Length);
        python.ExpectLine("DONE", Startup);
        python.WaitForExit(Startup).Should().Be(0, python.StandardError);

        received.Should().HaveCount(Frames.Length);
        for (var i = 0; i < Frames.Length; i++)
        {
            var (message, pythonChannel) = received[i];
            message.IsEquivalentTo(Frames[i], timestampDelta: null).Should().BeTrue($"python read {message} for sent {Frames[i]}");
            pythonChannel.Should().Be(Frames[i].Channel, "python-can passes the channel through");
            message.Timestamp.Should().BeInRange(before - 1, CanClock.Now() + 1, "python-can stamps the receive time");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void PythonToDotNet_EveryFrameKind_BusReadsEveryFieldEqual(AddressFamily family)
    {
        var (group, port) = Prepare(family);
        using var bus = new UdpMulticastBus(MulticastTestEnvironment.Options(group) with { Port = port });
        using var python = PythonCanProcess.Start("pycan_send.py", "--group", group, "--port", Text(port));
        foreach (var frame in Frames)
        {
            python.WriteLine(ToPythonJson(frame));
        }

        python.CloseInput();
        python.ExpectLine("SENT", Startup);
        python.WaitForExit(Startup).Should().Be(0, python.StandardError);

        foreach (var frame in Frames)
        {
            var received = bus.Receive(TimeSpan.FromSeconds(5));
            received.Should().NotBeNull($"python sent {frame}");
            received!.Value.IsEquivalentTo(frame, timestampDelta: null).Should().BeTrue($"received {received.Value} for python's {frame}");
            received.Value.IsRx.Should().BeTrue();
        }

        bus.MulticastStatistics.MalformedDatagrams.Should().Be(0);
        bus.MulticastStatistics.OwnFramesSkipped.Should().Be(0, "python's frames come from python's port, not ours");
    }

    /// <summary>
    /// 1000 frames with at most 50 in flight (python-can reads slower than .NET sends, and its socket keeps the OS default
    /// buffer of about 200 KiB, which on the veth link holds well under 200 datagrams): python-can gets all of them, in order.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void DotNetToPython_Burst1000WithinPythonsBuffer_AllArriveInOrder(AddressFamily family)
    {
        const int Count = 1000;
        const int Window = 50;
        var (group, port) = Prepare(family);
        using var python = PythonCanProcess.Start("pycan_recv.py", "--group", group, "--port", Text(port), "--count", Text(Count), "--idle", "3");
        python.ExpectLine("READY", Startup);
        using var bus = new UdpMulticastBus(MulticastTestEnvironment.Options(group) with { Port = port });

        var received = new List<int>();
        var sent = 0;
        while (received.Count < Count)
        {
            if (sent < Count && sent - received.Count < Window)
            {
                var burst = Math.Min(Count - sent, Window - (sent - received.Count));
                var frames = Enumerable.Range(sent, burst).Select(i => new CanMessage((uint)(i % 0x800), BitConverter.GetBytes(i))).ToArray();
                bus.SendBatch(frames).Should().Be(burst);
                sent += burst;
            }
            else if (python.ReadLine(TimeSpan.FromSeconds(10)) is { } line && line.StartsWith('{'))
            {
                received.Add(BitConverter.ToInt32(FromPythonJson(line).Message.Data));
            }
            else
            {
                break;
            }
        }

        python.WaitForExit(Startup).Should().Be(0, python.StandardError);
        received.Should().Equal(Enumerable.Range(0, Count), "on loopback python-can receives every frame, in order");
    }

    /// <summary>
    /// 1000 frames as fast as .NET sends them: python-can's socket buffer overflows, and the kernel counts each datagram it
    /// drops (/proc/net/udp). Every frame either reaches python-can intact and in order, or is one of those drops: nothing is
    /// lost or damaged on the way.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void DotNetToPython_Burst1000Unpaced_EveryFrameArrivesOrIsAKernelCountedDrop(AddressFamily family)
    {
        const int Count = 1000;
        var (group, port) = Prepare(family);
        using var python = PythonCanProcess.Start("pycan_recv.py", "--group", group, "--port", Text(port), "--count", Text(Count), "--idle", "2", "--linger");
        python.ExpectLine("READY", Startup);
        using var bus = new UdpMulticastBus(MulticastTestEnvironment.Options(group) with { Port = port });
        // python's socket only: the bus's own receive socket counts its own frames, dropped by its socket filter, as drops.
        var dropsBefore = ProcNetUdp.DropsOnPort(port, python.Id) ?? 0;

        var frames = Enumerable.Range(0, Count).Select(i => new CanMessage((uint)(i % 0x800), BitConverter.GetBytes(i))).ToArray();
        bus.SendBatch(frames).Should().Be(Count);

        var received = ReadFrames(python, Count).Select(r => BitConverter.ToInt32(r.Message.Data)).ToList();
        python.ExpectLine("END", Startup);

        // python-can's socket is still open (--linger): its drop counter is still in the table.
        var drops = (ProcNetUdp.DropsOnPort(port, python.Id) ?? 0) - dropsBefore;
        python.CloseInput();
        python.WaitForExit(Startup).Should().Be(0, python.StandardError);

        bus.MulticastStatistics.KernelDrops.Should().Be(0, "the .NET bus's own receive socket holds no frame of its own (they are filtered)");
        received.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        received.Should().OnlyContain(i => i >= 0 && i < Count);
        (received.Count + drops).Should().Be(Count, $"python-can received {received.Count} and its socket dropped {drops}");
    }

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void PythonToDotNet_Burst1000_AllArrive(AddressFamily family)
    {
        const int Count = 1000;
        var (group, port) = Prepare(family);
        using var bus = new UdpMulticastBus(MulticastTestEnvironment.Options(group) with { Port = port });
        using var python = PythonCanProcess.Start("pycan_send.py", "--group", group, "--port", Text(port), "--burst", Text(Count));
        python.ExpectLine("SENT", Startup);
        python.WaitForExit(Startup).Should().Be(0, python.StandardError);

        var indices = new List<int>();
        while (indices.Count < Count && bus.Receive(TimeSpan.FromSeconds(3)) is { } message)
        {
            indices.Add(BitConverter.ToInt32(message.Data));
        }

        indices.Should().Equal(Enumerable.Range(0, Count), "on loopback the bus receives every frame, in order");
        bus.Statistics.FramesDropped.Should().Be(0);
    }

    private static (string Group, int Port) Prepare(AddressFamily family)
    {
        MulticastTestEnvironment.RequireMulticast(family);
        PythonCanProcess.RequirePythonCan();
        return (MulticastTestEnvironment.NewGroup(family), Interlocked.Increment(ref s_nextPort));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static List<(CanMessage Message, CanChannel Channel)> ReadFrames(PythonCanProcess python, int count)
    {
        var frames = new List<(CanMessage, CanChannel)>();
        while (frames.Count < count)
        {
            var line = python.ReadLine(TimeSpan.FromSeconds(10));
            if (line is null)
            {
                break;
            }

            if (!line.StartsWith('{'))
            {
                python.PushBack(line);
                break;
            }

            frames.Add(FromPythonJson(line));
        }

        return frames;
    }

    private static (CanMessage Message, CanChannel Channel) FromPythonJson(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var channel = root.GetProperty("channel") switch
        {
            { ValueKind: JsonValueKind.Null } => CanChannel.None,
            { ValueKind: JsonValueKind.Number } number => new CanChannel(number.GetInt64()),
            var text => new CanChannel(text.GetString()),
        };
        var message = new CanMessage(root.GetProperty("arbitration_id").GetUInt32(), Convert.FromHexString(root.GetProperty("data").GetString()!),
            root.GetProperty("is_extended_id").GetBoolean())
        {
            Timestamp = root.GetProperty("timestamp").GetDouble(),
            IsRemoteFrame = root.GetProperty("is_remote_frame").GetBoolean(),
            IsErrorFrame = root.GetProperty("is_error_frame").GetBoolean(),
            IsFd = root.GetProperty("is_fd").GetBoolean(),
            BitrateSwitch = root.GetProperty("bitrate_switch").GetBoolean(),
            ErrorStateIndicator = root.GetProperty("error_state_indicator").GetBoolean(),
            IsRx = root.GetProperty("is_rx").GetBoolean(),
            Channel = channel,
            Dlc = root.GetProperty("dlc").GetInt32(),
        };
        return (message, channel);
    }

    private static string ToPythonJson(in CanMessage frame)
    {
        object? channel = frame.Channel.IsNumber ? frame.Channel.Number : frame.Channel.Name;
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["arbitration_id"] = frame.ArbitrationId,
            ["is_extended_id"] = frame.IsExtendedId,
            ["is_remote_frame"] = frame.IsRemoteFrame,
            ["is_error_frame"] = frame.IsErrorFrame,
            ["channel"] = channel,
            ["dlc"] = frame.Dlc,
            ["data"] = Convert.ToHexString(frame.Data),
            ["is_fd"] = frame.IsFd,
            ["bitrate_switch"] = frame.BitrateSwitch,
            ["error_state_indicator"] = frame.ErrorStateIndicator,
        });
    }
}
