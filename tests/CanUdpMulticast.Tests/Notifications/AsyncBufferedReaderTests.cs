using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Notifications;

namespace CanUdpMulticast.Tests.Notifications;

public sealed class AsyncBufferedReaderTests
{
    private static CanMessage Frame(uint id) => new(id, [(byte)id]);

    [Fact]
    public async Task GetMessageAsync_WaitsForTheNextFrame()
    {
        using var reader = new AsyncBufferedReader();
        var pending = reader.GetMessageAsync().AsTask();
        pending.IsCompleted.Should().BeFalse();

        reader.OnMessageReceived(Frame(3));

        (await pending.WaitAsync(TimeSpan.FromSeconds(10))).ArbitrationId.Should().Be(3);
    }

    [Fact]
    public async Task AwaitForeach_YieldsEveryFrameAndEndsAfterStop()
    {
        using var reader = new AsyncBufferedReader();
        var consumer = Task.Run(async () =>
        {
            var ids = new List<uint>();
            await foreach (var frame in reader)
            {
                ids.Add(frame.ArbitrationId);
            }

            return ids;
        });

        for (uint id = 1; id <= 3; id++)
        {
            reader.OnMessageReceived(Frame(id));
        }

        reader.Stop();

        (await consumer.WaitAsync(TimeSpan.FromSeconds(10))).Should().Equal(1u, 2u, 3u);
    }

    [Fact]
    public async Task AfterStop_NewFramesAreIgnoredAndAnEmptyReaderThrows()
    {
        using var reader = new AsyncBufferedReader();
        reader.OnMessageReceived(Frame(1));
        reader.Stop();

        reader.OnMessageReceived(Frame(2));

        (await reader.GetMessageAsync()).ArbitrationId.Should().Be(1);
        await reader.Invoking(r => r.GetMessageAsync().AsTask()).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task GetMessageAsync_Cancelled_Throws()
    {
        using var reader = new AsyncBufferedReader();
        using var cancellation = new CancellationTokenSource();
        var pending = reader.GetMessageAsync(cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await pending.Invoking(p => p.WaitAsync(TimeSpan.FromSeconds(10))).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task WithANotifier_DeliversTheBusFrames()
    {
        var channel = "async-reader-" + Guid.NewGuid().ToString("N");
        using var tx = new VirtualBus(channel);
        using var rx = new VirtualBus(channel);
        using var reader = new AsyncBufferedReader();
        await using var notifier = new Notifier(rx, [reader]);

        tx.Send(Frame(0x42));

        (await reader.GetMessageAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).ArbitrationId.Should().Be(0x42);
    }
}
