using System.Net;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// <c>SendBatch</c> on UDP multicast: on Linux many datagrams per <c>sendmmsg</c> call from one packed buffer; the wire
/// bytes, order and count must be exactly those of sending the frames one by one.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class BatchSendTests
{
    public static TheoryData<bool> Transports => new() { false, true };

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void SendBatch_MixedFramesAcrossSeveralSystemCalls_AllArriveInOrder(bool portable)
    {
        MulticastTestEnvironment.RequireMulticast(AddressFamily.InterNetwork);
        var group = MulticastTestEnvironment.NewGroup(AddressFamily.InterNetwork);
        using var sender = new UdpMulticastBus(MulticastTestEnvironment.Options(group) with { ForcePortableTransport = portable });
        using var receiver = new UdpMulticastBus(MulticastTestEnvironment.Options(group) with { ForcePortableTransport = portable });
        var frames = MixedFrames(300);

        sender.SendBatch(frames).Should().Be(frames.Length);

        var received = ReceiveAll(receiver, frames.Length);
        received.Select(Describe).Should().Equal(frames.Select(Describe), "a batch arrives complete and in order");
        sender.Statistics.FramesSent.Should().Be(frames.Length);
    }

    [SkippableFact]
    public void SendBatch_Datagrams_ByteIdenticalToSendingOneByOne()
    {
        MulticastTestEnvironment.RequireMulticast(AddressFamily.InterNetwork);
        var group = MulticastTestEnvironment.NewGroup(AddressFamily.InterNetwork);
        using var capture = OpenCaptureSocket(group);
        using var sender = new UdpMulticastBus(MulticastTestEnvironment.Options(group));
        var frames = MixedFrames(100);

        foreach (var frame in frames)
        {
            sender.Send(frame);
        }

        var single = Capture(capture, frames.Length);
        sender.SendBatch(frames).Should().Be(frames.Length);
        var batched = Capture(capture, frames.Length);

        batched.Should().HaveCount(frames.Length);
        for (var i = 0; i < frames.Length; i++)
        {
            batched[i].Should().Equal(single[i], $"datagram {i} of the batch must be the bytes Send produces");
        }
    }

    [SkippableFact]
    public void SendBatch_FdFrameOnNonFdBus_ThrowsAndSendsNothing()
    {
        MulticastTestEnvironment.RequireMulticast(AddressFamily.InterNetwork);
        var group = MulticastTestEnvironment.NewGroup(AddressFamily.InterNetwork);
        using var sender = new UdpMulticastBus(MulticastTestEnvironment.Options(group) with { Fd = false });
        using var receiver = new UdpMulticastBus(MulticastTestEnvironment.Options(group));
        CanMessage[] frames = [new(0x1, [1]), new(0x2, new byte[12]) { IsFd = true }, new(0x3, [3])];

        FluentActions.Invoking(() => sender.SendBatch(frames)).Should().Throw<CanOperationException>().WithMessage("*FD*");

        sender.Send(new CanMessage(0x7FF, [9]));
        receiver.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x7FF, "nothing of the rejected batch went out");
    }

    /// <summary>Classic, extended, remote and 64-byte FD frames, some with channel names of up to 1,200 characters, so the
    /// packed buffer fills before 64 datagrams and the batch is split by room as well as by count.</summary>
    private static CanMessage[] MixedFrames(int count) => Enumerable.Range(0, count).Select(i => (i % 5) switch
    {
        0 => new CanMessage((uint)i & 0x7FF, [(byte)i, 1, 2, 3, 4, 5, 6, 7]),
        1 => new CanMessage((uint)(0x1000_0000 + i), [(byte)i]) { IsExtendedId = true },
        2 => new CanMessage((uint)i & 0x7FF, []) { IsRemoteFrame = true, Dlc = 4 },
        3 => new CanMessage((uint)i & 0x7FF, Enumerable.Range(0, 64).Select(b => (byte)(b + i)).ToArray()) { IsFd = true, BitrateSwitch = true },
        _ => new CanMessage((uint)i & 0x7FF, [(byte)i, 2]) { Channel = new string('c', 100 + (i * 37 % 1100)) },
    }).ToArray();

    private static string Describe(CanMessage m) =>
        $"{m.ArbitrationId:X}/{m.IsExtendedId}/{m.IsRemoteFrame}/{m.IsFd}/{m.BitrateSwitch}/{m.Dlc}/{Convert.ToHexString(m.Data)}/{m.Channel}";

    private static List<CanMessage> ReceiveAll(CanBus receiver, int count)
    {
        var received = new List<CanMessage>(count);
        while (received.Count < count && receiver.Receive(TimeSpan.FromSeconds(5)) is { } message)
        {
            received.Add(message);
        }

        return received;
    }

    private static Socket OpenCaptureSocket(string group)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.ReceiveBufferSize = 1 << 20;
        socket.Bind(new IPEndPoint(IPAddress.Any, MulticastTestEnvironment.TestPort));
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(IPAddress.Parse(group), IPAddress.Any));
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    private static List<byte[]> Capture(Socket socket, int count)
    {
        var buffer = new byte[WireCodec.MaxDatagramSize];
        var datagrams = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var length = socket.Receive(buffer);
            datagrams.Add(buffer.AsSpan(0, length).ToArray());
        }

        return datagrams;
    }
}
