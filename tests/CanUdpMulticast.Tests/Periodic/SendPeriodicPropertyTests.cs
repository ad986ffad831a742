using CanUdpMulticast.Periodic;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace CanUdpMulticast.Tests.Periodic;

/// <summary>The schedule as a property: for any period, duration and irregular clock steps, the sends are exact.</summary>
public sealed class SendPeriodicPropertyTests
{
    [Fact]
    public void AnyPeriodDurationAndClockSteps_EachSlotIsSentOnceAtTheFirstTickAtOrAfterItsDueTime()
    {
        var gen = Gen.Select(Gen.Int[1, 20], Gen.Int[1, 200], Gen.Int[1, 30].Array[1, 40]);

        gen.Sample((periodMs, durationMs, stepsMs) =>
        {
            var clock = new FakeTimeProvider();
            using var bus = new RecordingBus(clock);
            using var task = bus.SendPeriodic(new CanMessage(0x42, []), TimeSpan.FromMilliseconds(periodMs), TimeSpan.FromMilliseconds(durationMs),
                new PeriodicSendOptions { TimeProvider = clock });

            var now = 0;
            var ticks = new List<int> { 0 };
            foreach (var step in stepsMs)
            {
                clock.Advance(TimeSpan.FromMilliseconds(step));
                now += step;
                ticks.Add(now);
            }

            // Slot k is due at k * period; the fake clock serves it at the first tick at or after that time.
            var slots = (durationMs + periodMs - 1) / periodMs;
            var expected = Enumerable.Range(0, slots)
                .Select(k => ticks.Cast<int?>().FirstOrDefault(t => t >= k * periodMs))
                .TakeWhile(t => t is not null)
                .Select(t => TimeSpan.FromMilliseconds(t!.Value))
                .ToList();

            bus.SendTimes.Should().Equal(expected);
            task.IsRunning.Should().Be(now < durationMs, "the run ends exactly at its duration");
        }, iter: 300);
    }
}
