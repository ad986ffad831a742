using CanUdpMulticast.Nats.Tests.Support;
using FluentAssertions;
using Xunit;

namespace CanUdpMulticast.Nats.Tests;

/// <summary>The bus's NATS.Net send buffer (256 KB instead of the client's 64 KB default) and sync sends through it.</summary>
public sealed class NatsSendBufferTests : IDisposable
{
    private readonly NatsServerProcess _server = NatsServerProcess.Start();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Create_AnyOptions_SendBufferIs256Kilobytes()
    {
        var opts = NatsConnectionOptions.Create(Frames.Options(_server.Url, "buffer"), "00000000000000AB");

        opts.WriterBufferSize.Should().Be(256 << 10).And.Be(NatsConnectionOptions.WriterBufferSize);
    }

    [Fact]
    public async Task Send_BurstOfManyTimesTheSendBuffer_EveryFrameArrivesOnceInOrder()
    {
        // 40,000 frames of about 224 bytes each on the wire: about 9 MB, so a sync sender that outruns the server
        // meets a full send buffer (the blocking wait in SendFrame) whenever it runs more than 256 KB ahead of the server.
        const int count = 40_000;
        using var receiver = new NatsBus(Frames.Options(_server.Url, "burst") with { ReceiveQueueCapacity = 0 });
        using var sender = new NatsBus(Frames.Options(_server.Url, "burst"));
        var received = new List<uint>(count);
        var reader = Task.Run(() =>
        {
            var batch = new CanMessage[64];
            while (received.Count < count)
            {
                var n = receiver.ReceiveBatch(batch, TimeSpan.FromSeconds(10));
                if (n == 0)
                {
                    return;
                }

                for (var i = 0; i < n; i++)
                {
                    received.Add(BitConverter.ToUInt32(batch[i].Data));
                }
            }
        });

        for (var i = 0; i < count; i++)
        {
            sender.Send(new CanMessage { ArbitrationId = 0x123, Data = BitConverter.GetBytes((uint)i) });
        }

        await reader.WaitAsync(TimeSpan.FromSeconds(60));
        received.Should().HaveCount(count).And.Equal(Enumerable.Range(0, count).Select(i => (uint)i));
        receiver.NatsStatistics.SequenceGaps.Should().Be(0);
        receiver.NatsStatistics.Duplicates.Should().Be(0);
    }
}
