using System.Net.Sockets;
using System.Text;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using CanUdpMulticast.Wire;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// Anyone on the link can put bytes into the group. Each class of bad datagram, injected with a raw UDP socket between
/// two valid frames: the bus drops it, counts it under its reason, logs it (event 302), and keeps receiving; no valid
/// frame is lost.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class HostileDatagramTests
{
    [SkippableFact]
    public void NotMessagePack_IsDroppedAndCounted() => AssertDropped([0xC1, 0x00, 0xFF], MalformedDatagramReason.NotMessagePack);

    [SkippableFact]
    public void Truncated_IsDroppedAndCounted() => AssertDropped(Valid(0x7)[..60], MalformedDatagramReason.Truncated);

    [SkippableFact]
    public void Empty_IsDroppedAsTruncated() => AssertDropped([], MalformedDatagramReason.Truncated);

    [SkippableFact]
    public void Oversized_LargerThan4096_IsCutByTheKernelAndDroppedAsOversized()
    {
        // A well-formed map that is too big: 5000 bytes of channel name.
        var datagram = Map(("channel", Str(new string('x', 5000))));
        datagram.Length.Should().BeGreaterThan(WireCodec.MaxDatagramSize);
        AssertDropped(datagram, MalformedDatagramReason.Oversized);
    }

    [SkippableFact]
    public void Oversized_Exactly4097Bytes_IsDroppedAsOversized()
    {
        var datagram = new byte[WireCodec.MaxDatagramSize + 1];
        datagram[0] = 0x80;
        AssertDropped(datagram, MalformedDatagramReason.Oversized);
    }

    [SkippableFact]
    public void NotAMap_IsDroppedAndCounted() => AssertDropped([0x93, 0x01, 0x02, 0x03], MalformedDatagramReason.NotAMap);

    [SkippableFact]
    public void BinKeys_AreDroppedAsNonStringKey() =>
        AssertDropped([0x81, 0xC4, 0x03, (byte)'d', (byte)'l', (byte)'c', 0x00], MalformedDatagramReason.NonStringKey);

    [SkippableFact]
    public void UnknownKey_IsDroppedAndCounted() => AssertDropped(Map(("foo", [0x01])), MalformedDatagramReason.UnknownKey);

    [SkippableFact]
    public void WrongValueType_IsDroppedAndCounted() =>
        AssertDropped(Map(("arbitration_id", Str("0x123"))), MalformedDatagramReason.WrongValueType);

    [SkippableFact]
    public void DataAsString_IsDroppedLikePythonCan() => AssertDropped(Map(("data", Str("abc"))), MalformedDatagramReason.WrongValueType);

    [SkippableFact]
    public void DeepNesting_IsDroppedAsTooDeep()
    {
        var nested = Enumerable.Repeat((byte)0x91, 3000).Append((byte)0x00).ToArray(); // [[[...[0]...]]], 3000 levels
        AssertDropped(Map(("channel", nested)), MalformedDatagramReason.TooDeep);
    }

    [SkippableFact]
    public void InvalidFrame_IsDroppedAndCounted() =>
        AssertDropped(Map(("arbitration_id", [0xCD, 0x08, 0x00]), ("is_extended_id", [0xC2])), MalformedDatagramReason.InvalidFrame);

    [SkippableFact]
    public void TrailingBytes_AreDroppedAndCounted() => AssertDropped([.. Valid(0x7), 0x00], MalformedDatagramReason.TrailingBytes);

    [SkippableFact]
    public void IPv6_NotMessagePack_IsDroppedAndCounted() =>
        AssertDropped([0xC1], MalformedDatagramReason.NotMessagePack, AddressFamily.InterNetworkV6);

    [SkippableFact]
    public void Flood_OfMixedBadDatagrams_IsCountedExactlyLoggedOnceAndValidFramesAllArrive()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        var logger = new CollectingLogger();
        using var bus = new UdpMulticastBus(Options(group) with { Logger = logger });
        using var sender = new UdpMulticastBus(Options(group));
        using var raw = new RawDatagramSender(group, TestPort);
        byte[][] bad = [[0xC1], [0x93, 0x01, 0x02, 0x03], Map(("foo", [0x01])), Valid(1)[..40]];

        for (var i = 0; i < 400; i++)
        {
            raw.Send(bad[i % bad.Length]);
            if (i % 10 == 0)
            {
                sender.Send(new CanMessage(0x100, BitConverter.GetBytes(i)));
            }
        }

        var valid = new List<int>();
        while (valid.Count < 40 && bus.Receive(TimeSpan.FromSeconds(5)) is { } message)
        {
            valid.Add(BitConverter.ToInt32(message.Data));
        }

        valid.Should().Equal(Enumerable.Range(0, 40).Select(i => i * 10));
        // The nine bad datagrams after the last valid frame are counted when the application reads again.
        WaitUntil(() => !bus.TryReceive(out _) && bus.MulticastStatistics.MalformedDatagrams == 400, "all 400 bad datagrams counted");
        var statistics = bus.MulticastStatistics;
        statistics.GetMalformedCount(MalformedDatagramReason.NotMessagePack).Should().Be(100);
        statistics.GetMalformedCount(MalformedDatagramReason.NotAMap).Should().Be(100);
        statistics.GetMalformedCount(MalformedDatagramReason.UnknownKey).Should().Be(100);
        statistics.GetMalformedCount(MalformedDatagramReason.Truncated).Should().Be(100);
        bus.Statistics.MalformedFrames.Should().Be(400);
        logger.WithId(302).Should().ContainSingle("malformed datagrams are logged at most once per 10 seconds");
    }

    private static void AssertDropped(byte[] hostile, MalformedDatagramReason reason, AddressFamily family = AddressFamily.InterNetwork)
    {
        RequireMulticast(family);
        var group = NewGroup(family);
        var logger = new CollectingLogger();
        using var bus = new UdpMulticastBus(Options(group) with { Logger = logger });
        using var sender = new UdpMulticastBus(Options(group));
        using var raw = new RawDatagramSender(group, TestPort);

        sender.Send(new CanMessage(0x100, [1]));
        raw.Send(hostile);
        sender.Send(new CanMessage(0x101, [2]));

        bus.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x100);
        bus.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x101, "the bus keeps receiving after the bad datagram");
        WaitUntil(() => bus.MulticastStatistics.MalformedDatagrams == 1, $"the {reason} datagram is counted");
        var statistics = bus.MulticastStatistics;
        statistics.GetMalformedCount(reason).Should().Be(1, statistics.ToString());
        statistics.MalformedByReason.Should().ContainSingle();
        bus.Statistics.MalformedFrames.Should().Be(1);
        bus.Statistics.FramesReceived.Should().Be(2);
        logger.WithId(302).Should().ContainSingle().Which.Message.Should().Contain(reason.ToString());
    }

    private static byte[] Valid(uint id)
    {
        var buffer = new byte[WireCodec.MaxDatagramSize];
        var length = WireCodec.Encode(new CanMessage(id, [1, 2, 3, 4, 5, 6, 7, 8]) { Channel = "vcan0" }, buffer);
        return buffer[..length];
    }

    private static byte[] Str(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        return utf8.Length switch
        {
            < 32 => [(byte)(0xA0 | utf8.Length), .. utf8],
            < 256 => [0xD9, (byte)utf8.Length, .. utf8],
            _ => [0xDA, (byte)(utf8.Length >> 8), (byte)utf8.Length, .. utf8],
        };
    }

    private static byte[] Map(params (string Key, byte[] Value)[] entries) =>
        [(byte)(0x80 | entries.Length), .. entries.SelectMany(e => Str(e.Key).Concat(e.Value))];
}
