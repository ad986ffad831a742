using System.Buffers;
using System.Diagnostics;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Nats.Tests.Support;
using CanUdpMulticast.Registry;
using CanUdpMulticast.Wire;
using NATS.Client.Core;

namespace CanUdpMulticast.Nats.Tests;

public sealed class NatsBusTests : IDisposable
{
    private readonly NatsServerProcess _server = NatsServerProcess.Start();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Send_EveryKindOfFrame_ArrivesWithEveryFieldEqualInOrder()
    {
        using var receiver = new NatsBus(Frames.Options(_server.Url, "lab1.bench3"));
        using var sender = new NatsBus(Frames.Options(_server.Url, "lab1.bench3"));
        var frames = Frames.EveryKind();

        foreach (var frame in frames)
        {
            sender.Send(frame);
        }

        var received = Frames.ReceiveAll(receiver, frames.Length, TimeSpan.FromSeconds(5));
        received.Should().HaveCount(frames.Length);
        for (var i = 0; i < frames.Length; i++)
        {
            received[i].IsEquivalentTo(frames[i], timestampDelta: null).Should().BeTrue($"frame {i}: {received[i]} vs {frames[i]}");
            received[i].IsRx.Should().BeTrue();
        }

        receiver.NatsStatistics.SequenceGaps.Should().Be(0);
        receiver.NatsStatistics.Duplicates.Should().Be(0);
        receiver.Statistics.FramesReceived.Should().Be(frames.Length);
    }

    [Fact]
    public async Task Send_Payload_IsPythonCanMapByteForByteWithSourceAndSequenceHeaders()
    {
        await using var raw = new NatsConnection(new NatsOpts { Url = _server.Url });
        await using var subscription = await raw.SubscribeCoreAsync<byte[]>("can.lab.>");
        await raw.PingAsync();
        using var sender = new NatsBus(Frames.Options(_server.Url, "lab"));
        var frame = new CanMessage { ArbitrationId = 0x1ABCDE12, IsExtendedId = true, Timestamp = 1.5, Data = new byte[] { 1, 2 } };

        sender.Send(frame);
        sender.Send(frame);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var first = await subscription.Msgs.ReadAsync(timeout.Token);
        var second = await subscription.Msgs.ReadAsync(timeout.Token);
        var expected = new byte[256];
        var length = PythonCanWireFormat.Encode(frame, expected);
        first.Subject.Should().Be("can.lab.x.1.A.B.C.D.E.1.2");
        first.Data.Should().Equal(expected.Take(length));
        first.Headers!.Should().ContainSingle().Which.Key.Should().Be(NatsFrameHeaders.Name);
        var value = first.Headers[NatsFrameHeaders.Name].ToString();
        value.Should().MatchRegex("^[0-9A-F]{16}\\.0{7}1\\.[0-9A-F]{13}$");
        NatsFrameHeaders.TryParse(value, out var source, out var sequence, out var time).Should().BeTrue();
        source.Should().Be(sender.SourceId);
        sequence.Should().Be(1);
        (time / 1e6).Should().BeApproximately(CanClock.Now(), 60);
        NatsFrameHeaders.TryParse(second.Headers![NatsFrameHeaders.Name].ToString(), out source, out sequence, out _).Should().BeTrue();
        source.Should().Be(sender.SourceId);
        sequence.Should().Be(2);
    }

    [Fact]
    public void ReceiveOwnMessages_Off_OwnFramesNeverArrive_On_ArriveAsTx()
    {
        using var quiet = new NatsBus(Frames.Options(_server.Url, "own"));
        using var echoing = new NatsBus(Frames.Options(_server.Url, "own") with { ReceiveOwnMessages = true });

        quiet.Send(new CanMessage { ArbitrationId = 1 });
        echoing.Send(new CanMessage { ArbitrationId = 2 });

        var atEchoing = Frames.ReceiveAll(echoing, 2, TimeSpan.FromSeconds(5));
        atEchoing.Select(m => (m.ArbitrationId, m.IsRx)).Should().BeEquivalentTo(new[] { (1u, true), (2u, false) });
        var atQuiet = Frames.ReceiveAll(quiet, 2, TimeSpan.FromSeconds(1));
        atQuiet.Select(m => m.ArbitrationId).Should().Equal(2u);
    }

    [Fact]
    public void SetFilters_ExactIdAndWholeNibbleMask_ServerSendsOnlyMatchingFrames()
    {
        using var filtered = new NatsBus(Frames.Options(_server.Url, "flt"));
        filtered.SetFilters([new CanFilter(0x123, 0x7FF, Extended: false), new CanFilter(0x1AB00000, 0x1FF00000, Extended: true)]);
        using var sender = new NatsBus(Frames.Options(_server.Url, "flt"));
        filtered.Subscriptions.Should().BeEquivalentTo("can.flt.s.1.2.3", "can.flt.x.1.A.B.*.*.*.*.*");

        var sent = 0;
        for (uint id = 0; id < 0x800; id += 7)
        {
            sender.Send(new CanMessage { ArbitrationId = id });
            sent++;
        }

        sender.Send(new CanMessage { ArbitrationId = 0x123 });
        sender.Send(new CanMessage { ArbitrationId = 0x1AB12345, IsExtendedId = true });
        sender.Send(new CanMessage { ArbitrationId = 0x1AC12345, IsExtendedId = true });
        sender.Send(new CanMessage { ArbitrationId = 0x123, IsExtendedId = true });

        var received = Frames.ReceiveAll(filtered, 2, TimeSpan.FromSeconds(5));
        received.Select(m => m.ArbitrationId).Should().Equal(0x123u, 0x1AB12345u);
        Frames.ReceiveAll(filtered, 1, TimeSpan.FromMilliseconds(300)).Should().BeEmpty();
        // Everything the server delivered passed: nothing was filtered (or dropped) in the bus.
        filtered.NatsStatistics.Delivered.Should().Be(2);
        filtered.Statistics.FramesFilteredOut.Should().Be(0);
    }

    [Fact]
    public void SetFilters_PartNibbleMask_NarrowsOnServerAndFiltersTheRestInTheBus()
    {
        using var filtered = new NatsBus(Frames.Options(_server.Url, "part"));
        filtered.SetFilters([new CanFilter(0x120, 0x7F8)]); // 0x120..0x127: the last nibble is half masked
        using var sender = new NatsBus(Frames.Options(_server.Url, "part"));
        filtered.Subscriptions.Should().BeEquivalentTo("can.part.s.1.2.*", "can.part.x.*.*.*.*.*.*.2.*");

        for (uint id = 0x100; id < 0x140; id++)
        {
            sender.Send(new CanMessage { ArbitrationId = id });
        }

        var received = Frames.ReceiveAll(filtered, 8, TimeSpan.FromSeconds(5));
        received.Select(m => m.ArbitrationId).Should().Equal(Enumerable.Range(0x120, 8).Select(i => (uint)i));
        Frames.WaitUntil(() => filtered.NatsStatistics.Delivered == 16, TimeSpan.FromSeconds(5), "the server delivered 0x120..0x12F");
        Frames.ReceiveAll(filtered, 1, TimeSpan.FromMilliseconds(200)).Should().BeEmpty();
        filtered.Statistics.FramesFilteredOut.Should().Be(8);
    }

    [Fact]
    public async Task Receive_MalformedPayloads_AreCountedByReasonAndTheBusKeepsReceiving()
    {
        using var bus = new NatsBus(Frames.Options(_server.Url, "bad"));
        await using var raw = new NatsConnection(new NatsOpts { Url = _server.Url });

        await raw.PublishAsync("can.bad.s.1.2.3", new byte[] { 0xC1 });
        await raw.PublishAsync("can.bad.s.1.2.3", new byte[] { 0x01 });
        await raw.PublishAsync("can.bad.s.1.2.3", new byte[] { 0x81, 0xA1, (byte)'x', 0x01 });
        await raw.PublishAsync("can.bad.s.1.2.3", Array.Empty<byte>());
        var good = new byte[256];
        var length = PythonCanWireFormat.Encode(new CanMessage { ArbitrationId = 0x123, Data = new byte[] { 5 } }, good);
        await raw.PublishAsync("can.bad.s.1.2.3", good.AsMemory(0, length));

        var received = Frames.ReceiveAll(bus, 1, TimeSpan.FromSeconds(5));
        received.Should().ContainSingle().Which.ArbitrationId.Should().Be(0x123u);
        var stats = bus.NatsStatistics;
        stats.MalformedByReason.Should().ContainKey(MalformedDatagramReason.NotMessagePack);
        stats.MalformedByReason.Should().ContainKey(MalformedDatagramReason.NotAMap);
        stats.MalformedByReason.Should().ContainKey(MalformedDatagramReason.UnknownKey);
        stats.MalformedByReason.Should().ContainKey(MalformedDatagramReason.Truncated);
        stats.MalformedByReason.Values.Sum().Should().Be(4);
        bus.Statistics.MalformedFrames.Should().Be(4);
        stats.Untracked.Should().Be(1);
    }

    [Fact]
    public async Task Receive_FrameOnAnotherIdsSubject_WithServerSideFilter_IsDroppedAsMismatch()
    {
        using var bus = new NatsBus(Frames.Options(_server.Url, "mm"));
        bus.SetFilters([new CanFilter(0x123, 0x7FF, false)]);
        await using var raw = new NatsConnection(new NatsOpts { Url = _server.Url });
        var forged = new byte[256];
        var forgedLength = PythonCanWireFormat.Encode(new CanMessage { ArbitrationId = 0x456 }, forged);
        var honest = new byte[256];
        var honestLength = PythonCanWireFormat.Encode(new CanMessage { ArbitrationId = 0x123 }, honest);

        await raw.PublishAsync("can.mm.s.1.2.3", forged.AsMemory(0, forgedLength));
        await raw.PublishAsync("can.mm.s.1.2.3", honest.AsMemory(0, honestLength));

        Frames.ReceiveAll(bus, 2, TimeSpan.FromSeconds(2)).Select(m => m.ArbitrationId).Should().Equal(0x123u);
        bus.NatsStatistics.SubjectMismatches.Should().Be(1);
    }

    [Fact]
    public async Task Receive_SameSequenceTwice_IsCountedAsDuplicateAndDroppedOnce()
    {
        using var bus = new NatsBus(Frames.Options(_server.Url, "dup"));
        await using var raw = new NatsConnection(new NatsOpts { Url = _server.Url });
        var payload = new byte[256];
        var length = PythonCanWireFormat.Encode(new CanMessage { ArbitrationId = 0x1 }, payload);
        NatsHeaders Headers(long sequence) => new() { [NatsFrameHeaders.Name] = NatsFrameHeaders.Format(0xAB, sequence, 0) };

        foreach (var sequence in new long[] { 1, 2, 2, 5 })
        {
            await raw.PublishAsync("can.dup.s.0.0.1", payload.AsMemory(0, length), Headers(sequence));
        }

        Frames.ReceiveAll(bus, 4, TimeSpan.FromSeconds(2)).Should().HaveCount(3);
        bus.NatsStatistics.Duplicates.Should().Be(1);
        bus.NatsStatistics.SequenceGaps.Should().Be(2);
    }

    [Fact]
    public void Open_UnreachableServer_ThrowsInitializationNamingTheServerQuickly()
    {
        var port = NatsServerProcess.FreePort();
        var watch = Stopwatch.StartNew();

        var open = () => new NatsBus(Frames.Options($"nats://127.0.0.1:{port}", "x"));

        open.Should().Throw<CanInitializationException>().WithMessage($"*127.0.0.1:{port}*");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8));
    }

    [Fact]
    public void Open_ViaRegistry_CreatesANatsBusFromKeywordOptions()
    {
        var registry = new CanInterfaceRegistry();
        NatsInterface.Register(registry);
        var config = new BusConfiguration("nats", "lab1.bench3", [new("servers", _server.Url), new("fd", "false"), new("disconnected_send_mode", "block")]);

        using var bus = registry.Create(config);

        bus.Should().BeOfType<NatsBus>().Which.SubjectRoot.Should().Be("can.lab1.bench3");
        bus.Protocol.Should().Be(CanProtocol.Can20);
        bus.State.Should().Be(CanBusState.Active);
    }

    [Fact]
    public void Open_InvalidBusName_ThrowsInitialization()
    {
        var open = () => new NatsBus(Frames.Options(_server.Url, "bad name*"));

        open.Should().Throw<CanInitializationException>().WithMessage("*bad name*");
    }

    [Fact]
    public async Task Dispose_WakesABlockedReceiverAtOnce()
    {
        var bus = new NatsBus(Frames.Options(_server.Url, "wake"));
        var receive = Task.Run(() => bus.ReceiveAsync().AsTask());
        await Task.Delay(100);

        await bus.DisposeAsync();

        await FluentActions.Awaiting(() => receive.WaitAsync(TimeSpan.FromSeconds(3))).Should().ThrowAsync<ObjectDisposedException>();
    }
}
