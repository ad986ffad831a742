using System.Diagnostics;
using CanUdpMulticast.IO;
using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Nats.JetStream;
using CanUdpMulticast.Nats.Tests.Support;

namespace CanUdpMulticast.Nats.Tests;

public sealed class NatsRecordingTests : IDisposable
{
    private readonly NatsServerProcess _server = NatsServerProcess.Start(jetStream: true);

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Record_WithNoLoggerRunning_StoresEveryFrameAndReadsBackARange()
    {
        var options = Frames.Options(_server.Url, "rec.bench1");
        var info = await NatsRecording.StartAsync(options, maxAge: TimeSpan.FromHours(1), maxBytes: 10_000_000);
        info.Stream.Should().Be("CAN_REC_BENCH1");
        info.Subjects.Should().Equal("can.rec.bench1.>");
        using (var sender = new NatsBus(options))
        {
            foreach (var frame in Frames.EveryKind())
            {
                sender.Send(frame);
            }
        }

        var middle = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        using (var sender = new NatsBus(options))
        {
            sender.Send(new CanMessage { ArbitrationId = 0x7AB });
        }

        var all = await ToListAsync(NatsRecording.ReadAsync(options));
        all.Should().HaveCount(Frames.EveryKind().Length + 1);
        all.Zip(Frames.EveryKind()).Should().OnlyContain(p => p.First.IsEquivalentTo(p.Second, null, true, true));
        all.Select(m => m.Timestamp).Should().BeInAscendingOrder();
        (await ToListAsync(NatsRecording.ReadAsync(options, from: middle))).Select(m => m.ArbitrationId).Should().Equal(0x7ABu);
        (await ToListAsync(NatsRecording.ReadAsync(options, to: middle))).Should().HaveCount(Frames.EveryKind().Length);
        (await NatsRecording.GetInfoAsync(options)).Frames.Should().Be(all.Count);
    }

    [Fact]
    public async Task Replay_OntoAnotherBus_KeepsTheOriginalPace()
    {
        var options = Frames.Options(_server.Url, "pace");
        await NatsRecording.StartAsync(options);
        using (var sender = new NatsBus(options))
        {
            sender.Send(new CanMessage { ArbitrationId = 1 });
            await Task.Delay(300);
            sender.Send(new CanMessage { ArbitrationId = 2 });
        }

        await Task.Delay(100); // the server stores asynchronously to the publish
        var channel = "nats-replay-" + Guid.NewGuid().ToString("N");
        using var target = new VirtualBus(new VirtualBusOptions { Channel = channel });
        using var listener = new VirtualBus(new VirtualBusOptions { Channel = channel });
        var watch = Stopwatch.StartNew();

        var sent = await NatsRecording.ReplayAsync(options, target);

        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(250), "the 300 ms between the frames is kept");
        sent.Should().Be(2);
        Frames.ReceiveAll(listener, 2, TimeSpan.FromSeconds(2)).Select(m => m.ArbitrationId).Should().Equal(1u, 2u);
    }

    [Fact]
    public async Task Export_ToAscAndBack_HoldsTheRecordedFrames()
    {
        var options = Frames.Options(_server.Url, "exp");
        await NatsRecording.StartAsync(options);
        using (var sender = new NatsBus(options))
        {
            foreach (var frame in Frames.EveryKind())
            {
                sender.Send(frame);
            }
        }

        await Task.Delay(100);
        var path = Path.Combine(_server.Directory, "export.asc");
        long written;
        await using (var writer = CanLogWriter.Create(path))
        {
            written = await NatsRecording.ExportAsync(options, writer);
        }

        written.Should().Be(Frames.EveryKind().Length);
        await using var reader = CanLogReader.Open(path);
        var read = new List<CanMessage>();
        await foreach (var frame in reader)
        {
            read.Add(frame);
        }

        read.Select(m => m.ArbitrationId).Should().Equal(Frames.EveryKind().Select(m => m.ArbitrationId));
    }

    [Fact]
    public async Task Record_ServerWithoutJetStream_ThrowsOperationNamingTheStream()
    {
        using var plain = NatsServerProcess.Start();

        var start = () => NatsRecording.StartAsync(Frames.Options(plain.Url, "nojs"));

        await start.Should().ThrowAsync<CanOperationException>().WithMessage("*CAN_NOJS*");
    }

    private static async Task<List<CanMessage>> ToListAsync(IAsyncEnumerable<CanMessage> frames)
    {
        var list = new List<CanMessage>();
        await foreach (var frame in frames)
        {
            list.Add(frame);
        }

        return list;
    }
}
