using CanUdpMulticast.Cli.Replay;

namespace CanUdpMulticast.Cli.Tests.Replay;

/// <summary>The replay timing (python-can's MessageSync) on a fake clock: every wait is recorded, none is slept.</summary>
public sealed class ReplaySchedulerTests
{
    private TimeSpan _now;
    private readonly List<TimeSpan> _waits = [];

    private ReplayScheduler Create(bool timestamps, double gap = 0.0001, double skip = 86400) =>
        new(timestamps, TimeSpan.FromSeconds(gap), TimeSpan.FromSeconds(skip), () => _now, (t, _) =>
        {
            _waits.Add(t);
            _now += t;
            return Task.CompletedTask;
        });

    [Fact]
    public async Task WaitAsync_WithTimestamps_SendsEachFrameAtItsRecordedOffset()
    {
        var scheduler = Create(timestamps: true);
        var sentAt = new List<double>();
        foreach (var ts in new[] { 100.0, 100.5, 101.25, 101.25 })
        {
            await scheduler.WaitAsync(ts, CancellationToken.None);
            sentAt.Add(_now.TotalSeconds);
        }

        sentAt.Should().Equal(0.0, 0.5, 1.25, 1.25);
    }

    [Fact]
    public async Task WaitAsync_SlowSends_DoNotDelayLaterFramesFurther()
    {
        var scheduler = Create(timestamps: true);
        await scheduler.WaitAsync(10.0, CancellationToken.None);
        _now += TimeSpan.FromSeconds(0.3);   // sending took 0.3 s
        await scheduler.WaitAsync(11.0, CancellationToken.None);

        _now.TotalSeconds.Should().BeApproximately(1.0, 1e-9);
    }

    [Fact]
    public async Task WaitAsync_PauseLongerThanSkip_IsCutToSkipAndLaterFramesShiftWithIt()
    {
        var scheduler = Create(timestamps: true, skip: 2);
        var sentAt = new List<double>();
        foreach (var ts in new[] { 0.0, 1.0, 61.0, 62.0 })
        {
            await scheduler.WaitAsync(ts, CancellationToken.None);
            sentAt.Add(_now.TotalSeconds);
        }

        sentAt.Should().Equal(0.0, 1.0, 3.0, 4.0);
    }

    [Fact]
    public async Task WaitAsync_IgnoringTimestamps_SpacesFramesByGap()
    {
        var scheduler = Create(timestamps: false, gap: 0.5);
        var sentAt = new List<double>();
        foreach (var ts in new[] { 5.0, 0.0, 1000.0 })
        {
            await scheduler.WaitAsync(ts, CancellationToken.None);
            sentAt.Add(_now.TotalSeconds);
        }

        sentAt.Should().Equal(0.5, 1.0, 1.5);
    }

    [Fact]
    public async Task WaitAsync_TinyGap_DoesNotSleep()
    {
        var scheduler = Create(timestamps: false, gap: 0.0001);
        for (var i = 0; i < 5; i++)
        {
            await scheduler.WaitAsync(0, CancellationToken.None);
            _now += TimeSpan.FromSeconds(0.0001);   // sending takes about as long as the gap
        }

        _waits.Should().BeEmpty("like python-can, waits under the timer's resolution are not slept");
    }

    [Fact]
    public async Task Restart_NextPass_StartsFromItsFirstFrameAgain()
    {
        var scheduler = Create(timestamps: true);
        await scheduler.WaitAsync(50.0, CancellationToken.None);
        await scheduler.WaitAsync(52.0, CancellationToken.None);
        scheduler.Restart();
        var passStart = _now;
        await scheduler.WaitAsync(50.0, CancellationToken.None);
        (_now - passStart).Should().Be(TimeSpan.Zero);
        await scheduler.WaitAsync(51.0, CancellationToken.None);
        (_now - passStart).TotalSeconds.Should().BeApproximately(1.0, 1e-9);
    }
}
