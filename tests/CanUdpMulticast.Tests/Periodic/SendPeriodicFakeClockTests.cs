using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Periodic;
using CanUdpMulticast.Tests.Core;
using Microsoft.Extensions.Time.Testing;

namespace CanUdpMulticast.Tests.Periodic;

/// <summary>Periodic sending on a fake clock: exact, deterministic, no sleeps.</summary>
public sealed class SendPeriodicFakeClockTests : IDisposable
{
    private static readonly CanMessage Frame = new(0x123, [1, 2, 3]);

    private readonly FakeTimeProvider _clock = new();
    private readonly RecordingBus _bus;
    private readonly PeriodicSendOptions _options;

    public SendPeriodicFakeClockTests()
    {
        _bus = new RecordingBus(_clock);
        _options = new PeriodicSendOptions { TimeProvider = _clock };
    }

    public void Dispose() => _bus.Dispose();

    private static IEnumerable<TimeSpan> Grid(int count, int periodMs, int offsetMs = 0) =>
        Enumerable.Range(0, count).Select(k => TimeSpan.FromMilliseconds(offsetMs + (k * periodMs)));

    [Fact]
    public void SendPeriodic_Started_SendsFirstFrameAtOnce()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);

        _bus.SendTimes.Should().Equal(TimeSpan.Zero);
        task.IsRunning.Should().BeTrue();
        _bus.PeriodicTasks.Should().ContainSingle().Which.Should().BeSameAs(task);
    }

    [Fact]
    public void SendPeriodic_OverDuration_SendsOncePerSlotBeforeTheEndAndStops()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), TimeSpan.FromSeconds(1), _options);

        _clock.AdvanceInSteps(TimeSpan.FromMilliseconds(1200));

        _bus.SendTimes.Should().Equal(Grid(100, 10));
        task.IsRunning.Should().BeFalse();
        task.StopReason.Should().Be(CyclicSendStopReason.DurationElapsed);
        task.Completion.IsCompleted.Should().BeTrue();
        task.Statistics.Sent.Should().Be(100);
        _bus.PeriodicTasks.Should().BeEmpty();
    }

    [Fact]
    public void SendPeriodic_DurationNotAMultipleOfPeriod_StopsExactlyAtTheEnd()
    {
        using var task = _bus.SendPeriodic(Frame, 50.Ms(), 520.Ms(), _options);

        _clock.AdvanceInSteps(519.Ms());
        task.IsRunning.Should().BeTrue();
        _clock.Advance(1.Ms());

        task.IsRunning.Should().BeFalse();
        _bus.SendCount.Should().Be(11, "slots 0, 50, ..., 500 ms lie before 520 ms");
    }

    [Fact]
    public void SendPeriodic_Sequence_SendsMessagesRoundRobin()
    {
        CanMessage[] sequence = [new(0x200, [0xA]), new(0x200, [0xB]), new(0x200, [0xC])];
        using var task = _bus.SendPeriodic(sequence, 10.Ms(), options: _options);

        _clock.AdvanceInSteps(70.Ms());

        _bus.Sent.Select(s => s.Message.Data[0]).Should().Equal(0xA, 0xB, 0xC, 0xA, 0xB, 0xC, 0xA, 0xB);
        _bus.SendTimes.Should().Equal(Grid(8, 10));
    }

    [Fact]
    public void SendPeriodic_Modifier_IsAppliedBeforeEachSendAndAccumulates()
    {
        var options = _options with { Modifier = m => m with { Data = [(byte)(m.Data[0] + 1), m.Data[1]] } };
        using var task = _bus.SendPeriodic(new CanMessage(0x10, [0, 0x55]), 10.Ms(), options: options);

        _clock.AdvanceInSteps(40.Ms());

        _bus.Sent.Select(s => s.Message.Data[0]).Should().Equal(1, 2, 3, 4, 5);
        task.Messages.Should().ContainSingle().Which.Data.ToArray().Should().Equal(5, 0x55);
    }

    [Fact]
    public void SendPeriodic_ModifierOnSequence_ChangesEachSlotOwnMessage()
    {
        var options = _options with { Modifier = m => m with { Data = [(byte)(m.Data[0] + 0x10)] } };
        using var task = _bus.SendPeriodic([new CanMessage(0x10, [1]), new CanMessage(0x10, [2])], 10.Ms(), options: options);

        _clock.AdvanceInSteps(30.Ms());

        _bus.Sent.Select(s => s.Message.Data[0]).Should().Equal(0x11, 0x12, 0x21, 0x22);
    }

    [Fact]
    public void ModifyData_SameIdAndCount_ChangesTheDataButNotTheTiming()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);
        _clock.AdvanceInSteps(5.Ms());

        task.ModifyData(new CanMessage(0x123, [9, 9]));
        _clock.AdvanceInSteps(15.Ms());

        _bus.Sent.Select(s => s.Message.Data.ToArray()).Should().BeEquivalentTo(
            new[] { new byte[] { 1, 2, 3 }, [9, 9], [9, 9] }, o => o.WithStrictOrdering());
        _bus.SendTimes.Should().Equal(Grid(3, 10));
    }

    [Fact]
    public void ModifyData_DifferentCount_Throws()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);

        var act = () => task.ModifyData([Frame, Frame]);

        act.Should().Throw<ArgumentException>().WithMessage("*1 message(s)*not 2*");
    }

    [Fact]
    public void ModifyData_DifferentId_Throws()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);

        var act = () => task.ModifyData(new CanMessage(0x124, [1]));

        act.Should().Throw<ArgumentException>().WithMessage("*arbitration id*cannot change*0x123*0x124*");
    }

    [Fact]
    public void ModifyData_ExtendedInsteadOfStandardId_Throws()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);

        var act = () => task.ModifyData(new CanMessage(0x123, [1], isExtendedId: true));

        act.Should().Throw<ArgumentException>().WithMessage("*arbitration id*extended*");
    }

    [Fact]
    public void ModifyData_DifferentChannel_Throws()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);

        var act = () => task.ModifyData(Frame with { Channel = "other" });

        act.Should().Throw<ArgumentException>().WithMessage("*channel*cannot change*");
    }

    [Fact]
    public void ModifyData_InvalidFrame_ThrowsAndKeepsTheOldData()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);

        var act = () => task.ModifyData(new CanMessage(0x123, new byte[9]));

        act.Should().Throw<ArgumentException>().WithMessage("*not a valid frame*");
        task.Messages.Single().Should().Be(Frame);
    }

    [Fact]
    public void ModifyData_SequenceWithOneDifferentId_Throws()
    {
        using var task = _bus.SendPeriodic([Frame, Frame], 10.Ms(), options: _options);

        var act = () => task.ModifyData([Frame, new CanMessage(0x7FF, [])]);

        act.Should().Throw<ArgumentException>().WithMessage("*same arbitration id*message 1*");
    }

    [Fact]
    public void SendPeriodic_EmptySequence_Throws()
    {
        var act = () => _bus.SendPeriodic(ReadOnlySpan<CanMessage>.Empty, 10.Ms(), options: _options);

        act.Should().Throw<ArgumentException>().WithMessage("*at least one message*");
    }

    [Fact]
    public void SendPeriodic_DifferentIds_Throws()
    {
        var act = () => _bus.SendPeriodic([new CanMessage(0x1, []), new CanMessage(0x2, [])], 10.Ms(), options: _options);

        act.Should().Throw<ArgumentException>().WithMessage("*same arbitration id*message 0 has 0x001, message 1 has 0x002*");
        _bus.SendCount.Should().Be(0);
    }

    [Fact]
    public void SendPeriodic_DifferentChannels_Throws()
    {
        var act = () => _bus.SendPeriodic([Frame with { Channel = "a" }, Frame with { Channel = "b" }], 10.Ms(), options: _options);

        act.Should().Throw<ArgumentException>().WithMessage("*same channel*'a'*'b'*");
    }

    [Fact]
    public void SendPeriodic_InvalidFrame_Throws()
    {
        var act = () => _bus.SendPeriodic(new CanMessage(0x800, []), 10.Ms(), options: _options);

        act.Should().Throw<ArgumentException>().WithMessage("Message 0 is not a valid frame*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void SendPeriodic_NonPositivePeriod_Throws(int periodMs)
    {
        var act = () => _bus.SendPeriodic(Frame, periodMs.Ms(), options: _options);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("period");
    }

    [Fact]
    public void SendPeriodic_ZeroDuration_Throws()
    {
        var act = () => _bus.SendPeriodic(Frame, 10.Ms(), TimeSpan.Zero, _options);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("duration");
    }

    [Fact]
    public void SendPeriodic_AutoStartOff_SendsNothingUntilStarted()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options with { AutoStart = false });
        _clock.AdvanceInSteps(30.Ms());
        _bus.SendCount.Should().Be(0);
        task.IsRunning.Should().BeFalse();
        _bus.PeriodicTasks.Should().BeEmpty();

        task.Start();
        _clock.AdvanceInSteps(20.Ms());

        _bus.SendTimes.Should().Equal(Grid(3, 10, offsetMs: 30));
    }

    [Fact]
    public void Stop_WhileRunning_SendsNothingMore()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);
        _clock.AdvanceInSteps(25.Ms());

        task.Stop();
        _clock.AdvanceInSteps(100.Ms());

        _bus.SendCount.Should().Be(3);
        task.IsRunning.Should().BeFalse();
        task.StopReason.Should().Be(CyclicSendStopReason.Stopped);
        task.Completion.IsCompleted.Should().BeTrue();
        _bus.PeriodicTasks.Should().BeEmpty();
    }

    [Fact]
    public void Start_AfterStop_RestartsOnANewTimelineFromTheFirstMessage()
    {
        using var task = _bus.SendPeriodic([new CanMessage(0x5, [1]), new CanMessage(0x5, [2]), new CanMessage(0x5, [3])], 10.Ms(), options: _options);
        _clock.AdvanceInSteps(10.Ms());
        task.Stop();
        _clock.AdvanceInSteps(13.Ms());

        task.Start();
        _clock.AdvanceInSteps(20.Ms());

        _bus.SendTimes.Should().Equal(0.Ms(), 10.Ms(), 23.Ms(), 33.Ms(), 43.Ms());
        _bus.Sent.Select(s => s.Message.Data[0]).Should().Equal(1, 2, 1, 2, 3);
        task.IsRunning.Should().BeTrue();
        task.StopReason.Should().Be(CyclicSendStopReason.None);
    }

    [Fact]
    public void Start_WhileRunning_DoesNothing()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);
        _clock.AdvanceInSteps(5.Ms());

        task.Start();
        _clock.AdvanceInSteps(10.Ms());

        _bus.SendTimes.Should().Equal(0.Ms(), 10.Ms());
    }

    [Fact]
    public void StartWithDuration_AfterStop_RunsForTheNewDuration()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);
        task.Stop();

        task.Start(30.Ms());
        _clock.AdvanceInSteps(100.Ms());

        _bus.SendCount.Should().Be(1 + 3);
        task.Duration.Should().Be(30.Ms());
        task.StopReason.Should().Be(CyclicSendStopReason.DurationElapsed);
    }

    [Fact]
    public void StartWithDuration_WhileRunning_Throws()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);

        var act = () => task.Start(30.Ms());

        act.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Completion_NewRun_IsANewPendingTask()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options with { AutoStart = false });
        task.Completion.IsCompleted.Should().BeTrue("it was never started");

        task.Start();
        var run = task.Completion;
        run.IsCompleted.Should().BeFalse();
        task.Stop();

        run.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public void LateTick_DoesNotShiftLaterSends()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);

        _clock.Advance(13.Ms()); // the 10 ms slot is served 3 ms late
        _clock.AdvanceInSteps(27.Ms());

        _bus.SendTimes.Should().Equal(0.Ms(), 13.Ms(), 20.Ms(), 30.Ms(), 40.Ms());
        task.Statistics.MaxLateness.Should().Be(3.Ms());
        task.Statistics.Skipped.Should().Be(0);
    }

    [Fact]
    public void SlowSend_DoesNotShiftLaterSends()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options with { AutoStart = false });
        var sends = 0;
        _bus.OnSend = _ =>
        {
            if (++sends == 2)
            {
                _clock.Advance(7.Ms()); // the second send "takes" 7 ms
            }
        };
        task.Start();

        _clock.AdvanceInSteps(40.Ms()); // plus the 7 ms of the slow send: the clock ends at 47 ms

        // Times are recorded at the end of each send: the slow one ends at 17 ms, the next still goes at 20 ms.
        _bus.SendTimes.Should().Equal(0.Ms(), 17.Ms(), 20.Ms(), 30.Ms(), 40.Ms());
        task.Statistics.Skipped.Should().Be(0);
    }

    [Fact]
    public void SchedulerBehindByMoreThanAPeriod_SendsTheMissedSlotsAtOnceAndStaysOnTheGrid()
    {
        using var task = _bus.SendPeriodic([new CanMessage(0x1, [1]), new CanMessage(0x1, [2])], 10.Ms(), options: _options);

        _clock.Advance(35.Ms()); // the 10, 20 and 30 ms slots are all due
        _clock.AdvanceInSteps(15.Ms());

        _bus.SendTimes.Should().Equal(0.Ms(), 35.Ms(), 35.Ms(), 35.Ms(), 40.Ms(), 50.Ms());
        _bus.Sent.Select(s => s.Message.Data[0]).Should().Equal(1, 2, 1, 2, 1, 2);
        task.Statistics.Skipped.Should().Be(0);
        task.Statistics.MaxLateness.Should().Be(25.Ms());
    }

    [Fact]
    public void SchedulerBehindByMoreThanAPeriod_WithSkipMissedSlots_SkipsThemAndStaysOnTheGrid()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options with { SkipMissedSlots = true });

        _clock.Advance(35.Ms()); // the 10, 20 and 30 ms slots are all due: one send, two skipped
        _clock.AdvanceInSteps(15.Ms());

        _bus.SendTimes.Should().Equal(0.Ms(), 35.Ms(), 40.Ms(), 50.Ms());
        task.Statistics.Skipped.Should().Be(2);
        task.Statistics.Sent.Should().Be(4);
    }

    [Fact]
    public void SkipMissedSlots_SlotsAfterTheEnd_AreNotCountedAsSkipped()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), 25.Ms(), _options with { SkipMissedSlots = true });

        _clock.Advance(100.Ms());

        task.StopReason.Should().Be(CyclicSendStopReason.DurationElapsed);
        (task.Statistics.Sent + task.Statistics.Skipped).Should().Be(3, "the run has the slots 0, 10 and 20 ms");
    }

    [Fact]
    public void OnError_ReturnsTrue_TaskGoesOnAfterFailedSends()
    {
        var calls = 0;
        _bus.OnSend = m => { if (Interlocked.Increment(ref calls) % 2 == 0) throw new CanOperationException("boom"); };
        var errors = new List<Exception>();
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options with { OnError = e => { errors.Add(e); return true; } });

        _clock.AdvanceInSteps(50.Ms());

        _bus.SendTimes.Should().Equal(0.Ms(), 20.Ms(), 40.Ms());
        errors.Should().HaveCount(3).And.AllBeOfType<CanOperationException>();
        task.IsRunning.Should().BeTrue();
        task.Statistics.Errors.Should().Be(3);
        task.LastError.Should().BeSameAs(errors[^1]);
    }

    [Fact]
    public void OnError_ReturnsFalse_StopsTheTaskAfterOneCall()
    {
        _bus.OnSend = _ => throw new CanOperationException("boom");
        var calls = 0;
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options with { OnError = _ => { calls++; return false; } });

        _clock.AdvanceInSteps(50.Ms());

        calls.Should().Be(1);
        task.IsRunning.Should().BeFalse();
        task.StopReason.Should().Be(CyclicSendStopReason.Error);
        task.LastError.Should().BeOfType<CanOperationException>();
    }

    [Fact]
    public void SendError_WithoutErrorCallback_StopsTheTask()
    {
        _bus.OnSend = _ => throw new CanOperationException("boom");
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);

        _clock.AdvanceInSteps(50.Ms());

        task.IsRunning.Should().BeFalse();
        task.StopReason.Should().Be(CyclicSendStopReason.Error);
        task.Statistics.Errors.Should().Be(1);
    }

    [Fact]
    public void LoggerThatThrows_StopsOnlyThatTask()
    {
        _bus.OnSend = m => { if (m.ArbitrationId == 0x1) throw new CanOperationException("boom"); };
        using var failing = _bus.SendPeriodic(new CanMessage(0x1, []), 10.Ms(), options: _options with { Logger = new ThrowingLogger() });
        using var healthy = _bus.SendPeriodic(new CanMessage(0x2, []), 10.Ms(), options: _options);

        _clock.AdvanceInSteps(30.Ms());

        failing.StopReason.Should().Be(CyclicSendStopReason.Error);
        failing.LastError.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("logger bug");
        healthy.IsRunning.Should().BeTrue();
        _bus.Sent.Count(s => s.Message.ArbitrationId == 0x2).Should().Be(4);
    }

    [Fact]
    public void ErrorCallbackThatThrows_StopsTheTask()
    {
        _bus.OnSend = _ => throw new CanOperationException("boom");
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options with { OnError = _ => throw new InvalidOperationException("callback bug") });

        _clock.AdvanceInSteps(30.Ms());

        task.StopReason.Should().Be(CyclicSendStopReason.Error);
        task.Statistics.Errors.Should().Be(1);
    }

    [Fact]
    public void ModifierThatThrows_IsASendError()
    {
        var errors = 0;
        var options = _options with { Modifier = _ => throw new FormatException("bad"), OnError = e => { errors++; return e is FormatException; } };
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: options);

        _clock.AdvanceInSteps(20.Ms());

        _bus.SendCount.Should().Be(0);
        errors.Should().Be(3);
        task.IsRunning.Should().BeTrue();
    }

    [Fact]
    public void ModifierReturningAnInvalidFrame_IsASendError()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options with { Modifier = m => m with { ArbitrationId = 0x800 } });

        task.StopReason.Should().Be(CyclicSendStopReason.Error);
        task.LastError.Should().BeOfType<ArgumentException>();
        _bus.SendCount.Should().Be(0);
    }

    [Fact]
    public void Stop_FromTheModifier_PreventsThatSendAndAllLaterOnes()
    {
        ICyclicSendTask? self = null;
        var count = 0;
        var options = _options with { Modifier = m => { if (++count == 3) { self!.Stop(); } return m; }, AutoStart = false };
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: options);
        self = task;
        task.Start();

        _clock.AdvanceInSteps(50.Ms());

        // The third slot's modifier stopped the task; its frame was still handed to the bus, nothing after it.
        _bus.SendCount.Should().Be(3);
        task.StopReason.Should().Be(CyclicSendStopReason.Stopped);
    }

    [Fact]
    public async Task Stop_DuringASend_WaitsForThatSendToFinish()
    {
        using var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);
        using var inSend = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        _bus.OnSend = _ =>
        {
            inSend.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        };
        var ticking = Task.Run(() => _clock.Advance(10.Ms()));
        inSend.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();

        var stopping = Task.Run(task.Stop);
        var stoppedWhileSending = await Task.WhenAny(stopping, Task.Delay(100)) == stopping;
        release.Set();
        await Task.WhenAll(ticking, stopping).WaitAsync(TimeSpan.FromSeconds(10));

        stoppedWhileSending.Should().BeFalse("Stop waits for the send in progress");
        _bus.SendCount.Should().Be(2);
        _clock.AdvanceInSteps(50.Ms());
        _bus.SendCount.Should().Be(2);
    }

    [Fact]
    public void DisposeBus_StopsItsTasks()
    {
        var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);
        var other = _bus.SendPeriodic(new CanMessage(0x7, []), 5.Ms(), options: _options);
        _clock.AdvanceInSteps(10.Ms());
        var before = _bus.SendCount;

        _bus.Dispose();
        _clock.AdvanceInSteps(100.Ms());

        _bus.SendCount.Should().Be(before);
        task.IsRunning.Should().BeFalse();
        task.StopReason.Should().Be(CyclicSendStopReason.BusDisposed);
        other.StopReason.Should().Be(CyclicSendStopReason.BusDisposed);
        _bus.PeriodicTasks.Should().BeEmpty();
        task.Invoking(t => t.Start()).Should().Throw<ObjectDisposedException>();
        _bus.Invoking(b => b.SendPeriodic(Frame, 10.Ms(), options: _options)).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task DisposeAsyncBus_StopsItsTasks()
    {
        var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);

        await _bus.DisposeAsync();

        task.StopReason.Should().Be(CyclicSendStopReason.BusDisposed);
        await task.Completion.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void StopAllPeriodicTasks_StopsEveryTaskAndTheyCanRestart()
    {
        var tasks = Enumerable.Range(1, 3).Select(i => _bus.SendPeriodic(new CanMessage((uint)i, []), 10.Ms(), options: _options)).ToList();
        _bus.PeriodicTasks.Should().HaveCount(3);

        _bus.StopAllPeriodicTasks();
        var sent = _bus.SendCount;
        _clock.AdvanceInSteps(50.Ms());

        _bus.SendCount.Should().Be(sent);
        tasks.Should().AllSatisfy(t => t.StopReason.Should().Be(CyclicSendStopReason.Stopped));
        _bus.PeriodicTasks.Should().BeEmpty();

        tasks[0].Start();
        _clock.AdvanceInSteps(10.Ms());
        _bus.SendCount.Should().Be(sent + 2);
        _bus.PeriodicTasks.Should().ContainSingle();
    }

    [Fact]
    public async Task DisposeTask_StopsIt()
    {
        var task = _bus.SendPeriodic(Frame, 10.Ms(), options: _options);

        await task.DisposeAsync();
        _clock.AdvanceInSteps(30.Ms());

        _bus.SendCount.Should().Be(1);
        _bus.PeriodicTasks.Should().BeEmpty();
    }

    [Fact]
    public void ManyTasks_EachKeepsItsOwnSchedule()
    {
        var tasks = Enumerable.Range(0, 1000)
            .Select(i => _bus.SendPeriodic(new CanMessage((uint)i, []), ((i % 4) + 1).Ms() * 10, TimeSpan.FromMilliseconds(400), _options))
            .ToList();

        _clock.AdvanceInSteps(500.Ms());

        var counts = _bus.Sent.GroupBy(s => s.Message.ArbitrationId).ToDictionary(g => g.Key, g => g.Count());
        for (var i = 0; i < 1000; i++)
        {
            var period = ((i % 4) + 1) * 10;
            counts[(uint)i].Should().Be((400 + period - 1) / period, $"task {i} sends in the slots before 400 ms");
        }

        tasks.Should().AllSatisfy(t => t.StopReason.Should().Be(CyclicSendStopReason.DurationElapsed));
    }

    [Fact]
    public void SendTimeout_IsPassedToTheBus()
    {
        // A bounded virtual bus in Wait mode with a full peer queue: a zero send timeout fails at once.
        using var sender = new VirtualBus("periodic-timeout-" + Guid.NewGuid());
        using var full = new VirtualBus(new VirtualBusOptions
        {
            Channel = sender.Channel,
            ReceiveQueueCapacity = 1,
            QueueFullMode = QueueFullMode.Wait,
        });
        sender.Send(Frame);

        using var task = sender.SendPeriodic(Frame, 10.Ms(), options: _options);

        task.StopReason.Should().Be(CyclicSendStopReason.Error);
        task.LastError.Should().BeOfType<CanTimeoutException>();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SendTimeout_DefaultOrNull_ReachesTheBackendAsZeroOrInfinite(bool wait)
    {
        // null follows the library's convention (wait as long as needed); the backend core sees InfiniteTimeSpan.
        using var bus = new ScriptedBus();
        var options = wait ? _options with { SendTimeout = null } : _options;

        using var task = bus.SendPeriodic(Frame, 10.Ms(), options: options);
        _clock.AdvanceInSteps(25.Ms());

        bus.SendTimeouts.Should().HaveCount(3).And.OnlyContain(t => t == (wait ? Timeout.InfiniteTimeSpan : TimeSpan.Zero));
    }

    [Fact]
    public void SendTimeout_Negative_Throws()
    {
        var options = new PeriodicSendOptions { TimeProvider = _clock, SendTimeout = TimeSpan.FromSeconds(-2) };

        var act = () => _bus.SendPeriodic(Frame, 10.Ms(), options: options);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("options");
    }

    private sealed class ThrowingLogger : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new InvalidOperationException("logger bug");
    }
}
