using CanUdpMulticast.IO;
using Microsoft.Extensions.Time.Testing;

namespace CanUdpMulticast.Tests.IO;

public sealed class MessageSyncTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new();

    private static CanMessage At(double seconds) => new(1, []) { Timestamp = 1700000000 + seconds };

    [Fact]
    public async Task EnumerateAsync_RecordedPace_YieldsEachFrameWhenItsTimeHasCome()
    {
        var sync = new MessageSync([At(0), At(0.5), At(1.5)], timeProvider: _clock);
        await using var frames = sync.GetAsyncEnumerator();

        (await frames.MoveNextAsync().AsTask().WaitAsync(Timeout)).Should().BeTrue("the first frame comes at once");
        var second = frames.MoveNextAsync().AsTask();
        await AssertPendingAsync(second);
        _clock.Advance(TimeSpan.FromMilliseconds(499));
        await AssertPendingAsync(second);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        (await second.WaitAsync(Timeout)).Should().BeTrue();
        frames.Current.Should().Be(At(0.5), "frames come out unchanged");

        var third = frames.MoveNextAsync().AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        await AssertPendingAsync(third);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        (await third.WaitAsync(Timeout)).Should().BeTrue();
        (await frames.MoveNextAsync()).Should().BeFalse();
    }

    [Fact]
    public async Task EnumerateAsync_IdlePeriodLongerThanSkip_IsCut()
    {
        var sync = new MessageSync([At(0), At(100), At(101)], new MessageSyncOptions { Skip = TimeSpan.FromSeconds(60) }, _clock);
        await using var frames = sync.GetAsyncEnumerator();
        await frames.MoveNextAsync();

        var second = frames.MoveNextAsync().AsTask();
        _clock.Advance(TimeSpan.FromSeconds(59.9));
        await AssertPendingAsync(second);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        (await second.WaitAsync(Timeout)).Should().BeTrue("a 100 s pause is cut to 60 s");

        var third = frames.MoveNextAsync().AsTask();
        _clock.Advance(TimeSpan.FromSeconds(0.9));
        await AssertPendingAsync(third);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        (await third.WaitAsync(Timeout)).Should().BeTrue("the pace after the cut stays the recorded one");
    }

    [Fact]
    public async Task EnumerateAsync_TimestampsIgnored_SpacesFramesByGap()
    {
        var sync = new MessageSync([At(0), At(1000), At(-5)], new MessageSyncOptions { UseTimestamps = false, Gap = TimeSpan.FromMilliseconds(10) }, _clock);
        await using var frames = sync.GetAsyncEnumerator();

        var first = frames.MoveNextAsync().AsTask();
        await AssertPendingAsync(first);
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        (await first.WaitAsync(Timeout)).Should().BeTrue();
        var second = frames.MoveNextAsync().AsTask();
        await AssertPendingAsync(second);
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        (await second.WaitAsync(Timeout)).Should().BeTrue();
    }

    [Fact]
    public async Task EnumerateAsync_Late_DoesNotWaitAndKeepsTheSchedule()
    {
        var sync = new MessageSync([At(0), At(1), At(2)], timeProvider: _clock);
        await using var frames = sync.GetAsyncEnumerator();
        await frames.MoveNextAsync();

        _clock.Advance(TimeSpan.FromSeconds(1.5));
        (await frames.MoveNextAsync().AsTask().WaitAsync(Timeout)).Should().BeTrue("frame 2 is overdue");
        var third = frames.MoveNextAsync().AsTask();
        await AssertPendingAsync(third);
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        (await third.WaitAsync(Timeout)).Should().BeTrue("frame 3 keeps its place at 2 s");
    }

    [Fact]
    public async Task EnumerateAsync_Cancelled_StopsWaiting()
    {
        using var cancel = new CancellationTokenSource();
        var sync = new MessageSync([At(0), At(10)], timeProvider: _clock);
        await using var frames = sync.GetAsyncEnumerator(cancel.Token);
        await frames.MoveNextAsync();

        var second = frames.MoveNextAsync().AsTask();
        await cancel.CancelAsync();

        await second.Invoking(t => t.WaitAsync(Timeout)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Enumerate_Synchronously_BlocksUntilTheClockAdvances()
    {
        var sync = new MessageSync([At(0), At(2)], timeProvider: _clock);
        using var frames = sync.GetEnumerator();
        frames.MoveNext().Should().BeTrue();

        var second = Task.Run(frames.MoveNext);
        await AssertPendingAsync(second);
        _clock.Advance(TimeSpan.FromSeconds(2));

        (await second.WaitAsync(Timeout)).Should().BeTrue();
        frames.Current.Should().Be(At(2));
    }

    [Fact]
    public async Task EnumerateAsync_FromALogReader_Streams()
    {
        var reader = new CanUdpMulticast.IO.Canutils.CanutilsReader(LogText.Stream("(1.0) can0 001#\n(1.00005) can0 002#\n"));
        var sync = new MessageSync(reader, timeProvider: _clock);

        var frames = new List<CanMessage>();
        await foreach (var frame in sync)
        {
            frames.Add(frame);
        }

        frames.Should().HaveCount(2, "a wait under 0.1 ms is not waited for, as in python-can");
    }

    // A fake clock never moves by itself: a task that has not completed after a short real pause is waiting on it.
    private static async Task AssertPendingAsync(Task task)
    {
        await Task.Delay(50);
        task.IsCompleted.Should().BeFalse();
    }
}
