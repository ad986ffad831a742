using System.Diagnostics;
using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Periodic;

namespace CanUdpMulticast.Tests.Periodic;

/// <summary>The schedule on the real clock (the process-wide scheduler thread), with generous bounds.</summary>
public sealed class SendPeriodicRealTimeTests : IDisposable
{
    private static readonly CanMessage Frame = new(0x321, [0xCA, 0xFE]);

    private readonly VirtualBus _sender;
    private readonly VirtualBus _receiver;

    public SendPeriodicRealTimeTests()
    {
        var channel = "periodic-rt-" + Guid.NewGuid().ToString("N");
        _sender = new VirtualBus(channel);
        _receiver = new VirtualBus(channel);
    }

    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    [Fact]
    public async Task SendPeriodic_TenMillisecondsForOneSecond_DeliversAboutOneHundredFrames()
    {
        using var task = _sender.SendPeriodic(Frame, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));

        await task.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        var timestamps = new List<double>();
        while (_receiver.TryReceive(out var frame))
        {
            frame.ArbitrationId.Should().Be(0x321);
            timestamps.Add(frame.Timestamp);
        }

        timestamps.Count.Should().BeInRange(80, 120);
        (timestamps[^1] - timestamps[0]).Should().BeInRange(0.8, 1.5, "the slots span 990 ms (generous bounds for a loaded machine)");
        task.StopReason.Should().Be(CyclicSendStopReason.DurationElapsed);
        task.Statistics.Sent.Should().Be(100, "a run sends one message per slot before the end, late ones included");
    }

    [Fact]
    public async Task Stop_OnTheRealClock_NoFrameFollows()
    {
        using var task = _sender.SendPeriodic(Frame, TimeSpan.FromMilliseconds(2));
        (await WaitUntilAsync(() => task.Statistics.Sent >= 5)).Should().BeTrue();

        task.Stop();
        var sent = _sender.Statistics.FramesSent;
        await Task.Delay(TimeSpan.FromMilliseconds(30));

        _sender.Statistics.FramesSent.Should().Be(sent);
    }

    [Fact]
    public async Task ManyTasks_ShareOneSchedulerThread()
    {
        using var quiet = new VirtualBus("periodic-many-" + Guid.NewGuid().ToString("N"));
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;

        var tasks = Enumerable.Range(0, 500)
            .Select(i => quiet.SendPeriodic(new CanMessage((uint)i, [1]), TimeSpan.FromMilliseconds(10)))
            .ToList();
        (await WaitUntilAsync(() => tasks.All(t => t.Statistics.Sent >= 3))).Should().BeTrue();
        var threadsAfter = Process.GetCurrentProcess().Threads.Count;
        quiet.StopAllPeriodicTasks();

        (threadsAfter - threadsBefore).Should().BeLessThan(100, "500 tasks must not need a thread each");
        tasks.Should().AllSatisfy(t => t.IsRunning.Should().BeFalse());
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 20);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }
}
