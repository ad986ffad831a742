using CanUdpMulticast.Cli.Tests.Support;

namespace CanUdpMulticast.Cli.Tests.Commands;

/// <summary><c>bridge</c> between two virtual channels: both directions, each frame exactly once, nothing loops back.</summary>
public sealed class BridgeTests
{
    private static async Task<List<CanMessage>> DrainAsync(CanBus bus, int expected, TimeSpan quiet)
    {
        var frames = new List<CanMessage>();
        while (frames.Count < expected && bus.Receive(TimeSpan.FromSeconds(10)) is { } frame)
        {
            frames.Add(frame);
        }

        // Anything more (a duplicate or an echo) would arrive shortly after.
        while (bus.Receive(quiet) is { } extra)
        {
            frames.Add(extra);
        }

        await Task.CompletedTask;
        return frames;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bridge_BothDirections_EachFrameArrivesOnceAndNothingComesBack(bool receiveOwnMessages)
    {
        var a = Canudp.UniqueChannel("a");
        var b = Canudp.UniqueChannel("b");
        using var cts = new CancellationTokenSource();
        using var bridge = new Canudp();
        string[] args = ["bridge", "-i", "virtual", "-c", a, "--bus2-interface", "virtual", "--bus2-channel", b];
        if (receiveOwnMessages)
        {
            args = [.. args, "--bus-option", "receive_own_messages=true", "--bus2-bus-option", "receive_own_messages=true"];
        }

        var bridging = bridge.StartAsync(args, cts.Token);
        await Canudp.WaitForChannelAsync(a);
        await Canudp.WaitForChannelAsync(b);

        using var nodeA = CanBus.Create("virtual", a, ignoreConfig: true);
        using var listenerA = CanBus.Create("virtual", a, ignoreConfig: true);
        using var nodeB = CanBus.Create("virtual", b, ignoreConfig: true);
        using var listenerB = CanBus.Create("virtual", b, ignoreConfig: true);
        for (var i = 0; i < 20; i++)
        {
            nodeA.Send(new CanMessage(0x100, [(byte)i]));
            nodeB.Send(new CanMessage(0x200, [(byte)i]));
        }

        var onB = await DrainAsync(listenerB, 40, TimeSpan.FromMilliseconds(200));
        var onA = await DrainAsync(listenerA, 40, TimeSpan.FromMilliseconds(200));
        await cts.CancelAsync();
        var result = await bridging.WaitAsync(TimeSpan.FromSeconds(10));

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        onB.Where(f => f.ArbitrationId == 0x100).Select(f => f.Data[0]).Should().Equal(Enumerable.Range(0, 20).Select(i => (byte)i), "A's frames cross once, in order");
        onA.Where(f => f.ArbitrationId == 0x200).Select(f => f.Data[0]).Should().Equal(Enumerable.Range(0, 20).Select(i => (byte)i), "B's frames cross once, in order");
        onA.Count(f => f.ArbitrationId == 0x100).Should().Be(20, "A's own frames are seen once on A (directly), never again via the bridge");
        onB.Count(f => f.ArbitrationId == 0x200).Should().Be(20, "B's own frames are seen once on B, never again via the bridge");
        result.Error.Should().Contain("20 frames bus 1 -> bus 2, 20 frames bus 2 -> bus 1");
        if (receiveOwnMessages)
        {
            result.Error.Should().Contain("40 own echoes not forwarded");
        }
    }
}
