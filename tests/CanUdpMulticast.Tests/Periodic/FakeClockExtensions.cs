using Microsoft.Extensions.Time.Testing;

namespace CanUdpMulticast.Tests.Periodic;

internal static class FakeClockExtensions
{
    /// <summary>Advances the fake clock in small steps, so every timer fires at its own time.</summary>
    public static void AdvanceInSteps(this FakeTimeProvider clock, TimeSpan total, TimeSpan? step = null)
    {
        var size = step ?? TimeSpan.FromMilliseconds(1);
        for (var done = TimeSpan.Zero; done < total; done += size)
        {
            clock.Advance(size < total - done ? size : total - done);
        }
    }

    public static TimeSpan Ms(this int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
