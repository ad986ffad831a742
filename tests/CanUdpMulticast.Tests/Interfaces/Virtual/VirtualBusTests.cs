using System.Text.RegularExpressions;
using CanUdpMulticast.Interfaces.Virtual;

namespace CanUdpMulticast.Tests.Interfaces.Virtual;

/// <summary>VirtualBus specifics (python-can's <c>virtual</c> interface, can/interfaces/virtual.py).</summary>
public sealed partial class VirtualBusTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);
    private readonly string _channel = "vbus-tests-" + Guid.NewGuid().ToString("N");
    private readonly List<VirtualBus> _buses = [];

    public void Dispose() => _buses.ForEach(b => b.Dispose());

    private VirtualBus Open(VirtualBusOptions? options = null)
    {
        var bus = new VirtualBus((options ?? new VirtualBusOptions()) with { Channel = options?.Channel is { } c && c != VirtualBusOptions.DefaultChannel ? c : _channel });
        _buses.Add(bus);
        return bus;
    }

    private static CanMessage Frame(byte tag) => new() { ArbitrationId = 0x123, Data = [tag] };

    private static List<int> Tags(VirtualBus bus)
    {
        var tags = new List<int>();
        while (bus.TryReceive(out var message))
        {
            tags.Add(message.Data[0]);
        }

        return tags;
    }

    [Fact]
    public void Send_ThreeBusesOnAChannel_EveryOtherBusGetsItsOwnCopy()
    {
        var sender = Open();
        var a = Open();
        var b = Open();
        sender.Send(Frame(7));
        a.Receive(TimeSpan.Zero)!.Value.Data[0].Should().Be(7);
        b.Receive(TimeSpan.Zero)!.Value.Data[0].Should().Be(7);
        sender.Receive(TimeSpan.Zero).Should().BeNull("ReceiveOwnMessages is off by default");
    }

    [Fact]
    public void Send_BusesOnDifferentChannels_DoNotSeeEachOther()
    {
        var sender = Open();
        var other = Open(new VirtualBusOptions { Channel = _channel + "-other" });
        sender.Send(Frame(1));
        other.Receive(TimeSpan.Zero).Should().BeNull();
    }

    [Fact]
    public void Send_Channel_StampedWithTheSendersChannelName()
    {
        var sender = Open();
        var receiver = Open();
        sender.Send(Frame(1) with { Channel = "something-else" });
        receiver.Receive(TimeSpan.Zero)!.Value.Channel.Should().Be(new CanChannel(_channel));
    }

    [Fact]
    public void Send_IsRx_TrueForReceiversEvenIfSentAsTx()
    {
        var sender = Open(new VirtualBusOptions { ReceiveOwnMessages = true });
        var receiver = Open();
        sender.Send(Frame(1) with { IsRx = false });
        sender.Send(Frame(2) with { IsRx = true });
        var received = new[] { receiver.Receive(TimeSpan.Zero)!.Value, receiver.Receive(TimeSpan.Zero)!.Value };
        received.Should().OnlyContain(m => m.IsRx);
        var echoes = new[] { sender.Receive(TimeSpan.Zero)!.Value, sender.Receive(TimeSpan.Zero)!.Value };
        echoes.Should().OnlyContain(m => !m.IsRx, "the sender's own copy is marked as transmitted");
    }

    [Fact]
    public void Send_PreserveTimestampsOn_ReceiverSeesTheSentTimestamp()
    {
        var sender = Open(new VirtualBusOptions { PreserveTimestamps = true });
        var receiver = Open();
        sender.Send(Frame(1) with { Timestamp = 1234.5678 });
        receiver.Receive(TimeSpan.Zero)!.Value.Timestamp.Should().Be(1234.5678);
    }

    [Fact]
    public void Send_PreserveTimestampsOff_ReceiverSeesTheSendTime()
    {
        var sender = Open();
        var receiver = Open();
        var before = CanClock.Now();
        sender.Send(Frame(1) with { Timestamp = 1234.5678 });
        var after = CanClock.Now();
        receiver.Receive(TimeSpan.Zero)!.Value.Timestamp.Should().BeInRange(before, after);
    }

    [Fact]
    public void Send_PreserveTimestampsIsTheSendersOption()
    {
        // python-can: the sender decides (its own preserve_timestamps), whatever the receiver's option says.
        var sender = Open();
        var receiver = Open(new VirtualBusOptions { PreserveTimestamps = true });
        sender.Send(Frame(1) with { Timestamp = 5 });
        receiver.Receive(TimeSpan.Zero)!.Value.Timestamp.Should().NotBe(5);
    }

    [Fact]
    public void Send_OtherFields_ArriveUnchanged()
    {
        var sender = Open();
        var receiver = Open();
        var sent = new CanMessage
        {
            ArbitrationId = 0x1ABCDEF, IsExtendedId = true, IsFd = true, BitrateSwitch = true, ErrorStateIndicator = true,
            Data = Enumerable.Range(0, 48).Select(i => (byte)i).ToArray(),
        };
        sender.Send(sent);
        var received = receiver.Receive(TimeSpan.Zero)!.Value;
        received.IsEquivalentTo(sent, timestampDelta: null, checkChannel: false).Should().BeTrue();
    }

    [Fact]
    public void QueueFull_DropNewest_ReceiverKeepsTheFirstAndCountsDrops()
    {
        var sender = Open();
        var receiver = Open(new VirtualBusOptions { ReceiveQueueCapacity = 2, QueueFullMode = QueueFullMode.DropNewest });
        var other = Open();
        for (byte i = 0; i < 5; i++)
        {
            sender.Send(Frame(i), TimeSpan.Zero);
        }

        Tags(receiver).Should().Equal(0, 1);
        receiver.Statistics.FramesDropped.Should().Be(3);
        Tags(other).Should().Equal(0, 1, 2, 3, 4);
        other.Statistics.FramesDropped.Should().Be(0);
        sender.Statistics.FramesSent.Should().Be(5, "the sender is not affected by a full reader");
        sender.Statistics.FramesDropped.Should().Be(0);
    }

    [Fact]
    public void QueueFull_DropOldest_ReceiverKeepsTheNewestAndCountsDrops()
    {
        var sender = Open();
        var receiver = Open(new VirtualBusOptions { ReceiveQueueCapacity = 2, QueueFullMode = QueueFullMode.DropOldest });
        for (byte i = 0; i < 5; i++)
        {
            sender.Send(Frame(i));
        }

        Tags(receiver).Should().Equal(3, 4);
        receiver.Statistics.FramesDropped.Should().Be(3);
    }

    [Fact]
    public void QueueFull_WaitWithTimeout_CanTimeoutExceptionButOthersStillGetTheFrame()
    {
        var sender = Open();
        var slow = Open(new VirtualBusOptions { ReceiveQueueCapacity = 1, QueueFullMode = QueueFullMode.Wait });
        var fast = Open();
        sender.Send(Frame(0), TimeSpan.Zero);

        FluentActions.Invoking(() => sender.Send(Frame(1), TimeSpan.FromMilliseconds(50)))
            .Should().Throw<CanTimeoutException>().WithMessage($"*1 receiver*{_channel}*");
        Tags(fast).Should().Equal(0, 1);
        Tags(slow).Should().Equal(0);
        slow.Statistics.FramesDropped.Should().Be(1);
        sender.Statistics.FramesSent.Should().Be(1, "the timed-out send is not counted as sent");
    }

    [Fact]
    public async Task QueueFull_WaitWithoutTimeout_SenderBlocksUntilTheReaderReads()
    {
        var sender = Open();
        var slow = Open(new VirtualBusOptions { ReceiveQueueCapacity = 1, QueueFullMode = QueueFullMode.Wait });
        sender.Send(Frame(0));
        var blocked = Task.Factory.StartNew(() => sender.Send(Frame(1)), TaskCreationOptions.LongRunning);
        (await Task.WhenAny(blocked, Task.Delay(100))).Should().NotBeSameAs(blocked, "the reader's queue is full");

        slow.Receive(TimeSpan.Zero)!.Value.Data[0].Should().Be(0);
        await blocked.WaitAsync(Long);
        slow.Receive(Long)!.Value.Data[0].Should().Be(1);
        slow.Statistics.FramesDropped.Should().Be(0);
    }

    [Fact]
    public async Task QueueFull_WaitingSender_ReleasedWhenTheReaderIsDisposed()
    {
        var sender = Open();
        var slow = Open(new VirtualBusOptions { ReceiveQueueCapacity = 1, QueueFullMode = QueueFullMode.Wait });
        sender.Send(Frame(0));
        var blocked = Task.Factory.StartNew(() => sender.Send(Frame(1)), TaskCreationOptions.LongRunning);
        (await Task.WhenAny(blocked, Task.Delay(50))).Should().NotBeSameAs(blocked);
        slow.Dispose();
        await blocked.WaitAsync(Long);
    }

    [Fact]
    public void ChannelsInUse_OpenAndDispose_ChannelAddedAndRemovedWithItsLastBus()
    {
        VirtualBus.ChannelsInUse().Should().NotContain(_channel);
        var first = Open();
        var second = Open();
        VirtualBus.ChannelsInUse().Should().Contain(_channel);
        first.Dispose();
        VirtualBus.ChannelsInUse().Should().Contain(_channel, "one bus is still open");
        second.Dispose();
        VirtualBus.ChannelsInUse().Should().NotContain(_channel);
    }

    [Fact]
    public void Dispose_BusLeavesTheChannel_OthersStopDeliveringToIt()
    {
        var sender = Open();
        var leaving = Open();
        var staying = Open();
        leaving.Dispose();
        sender.Send(Frame(1));
        Tags(staying).Should().Equal(1);
        leaving.Statistics.FramesDropped.Should().Be(0);
    }

    [Fact]
    public void DetectChannels_ChannelsInUsePlusOneFreeName()
    {
        Open();
        Open(new VirtualBusOptions { Channel = _channel + "-b" });
        var detected = VirtualBus.DetectChannels();
        detected.Should().Contain([_channel, _channel + "-b"]);
        var free = detected[^1];
        FreeName().IsMatch(free).Should().BeTrue(free);
        detected.Take(detected.Count - 1).Should().NotContain(free, "the extra name is not in use");
        detected.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void ChannelInfo_NamesTheChannel()
    {
        var bus = Open();
        bus.ChannelInfo.Should().Be("Virtual bus channel " + _channel);
        bus.ToString().Should().Be(bus.ChannelInfo);
        bus.Channel.Should().Be(_channel);
    }

    [Fact]
    public void Protocol_IsTheConfiguredOne()
    {
        Open().Protocol.Should().Be(CanProtocol.Can20);
        Open(new VirtualBusOptions { Protocol = CanProtocol.CanFd }).Protocol.Should().Be(CanProtocol.CanFd);
    }

    [Fact]
    public void Options_Filters_AppliedWhenOpened()
    {
        var sender = Open();
        var receiver = Open(new VirtualBusOptions { Filters = [new CanFilter(0x100, 0x7FF)] });
        receiver.Filters.Should().Equal(new CanFilter(0x100, 0x7FF));
        sender.Send(new CanMessage { ArbitrationId = 0x100 });
        sender.Send(new CanMessage { ArbitrationId = 0x101 });
        receiver.Receive(TimeSpan.Zero)!.Value.ArbitrationId.Should().Be(0x100);
        receiver.Receive(TimeSpan.Zero).Should().BeNull();
    }

    [Fact]
    public void Constructor_DefaultChannel_IsPythonCansChannel0()
    {
        VirtualBusOptions.DefaultChannel.Should().Be("channel-0");
        new VirtualBusOptions().Channel.Should().Be("channel-0");
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Constructor_EmptyChannel_CanInitializationException(string? channel) =>
        FluentActions.Invoking(() => new VirtualBus(new VirtualBusOptions { Channel = channel! }))
            .Should().Throw<CanInitializationException>();

    [Fact]
    public void Constructor_NegativeQueueCapacity_CanInitializationExceptionAndChannelNotJoined()
    {
        FluentActions.Invoking(() => new VirtualBus(new VirtualBusOptions { Channel = _channel, ReceiveQueueCapacity = -1 }))
            .Should().Throw<CanInitializationException>().WithMessage("*-1*");
        VirtualBus.ChannelsInUse().Should().NotContain(_channel);
    }

    [GeneratedRegex("^channel-[0-9]+$")]
    private static partial Regex FreeName();
}
