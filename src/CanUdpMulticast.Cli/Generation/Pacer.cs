using System.Diagnostics;

namespace CanUdpMulticast.Cli.Generation;

/// <summary>
/// Keeps a steady frame rate: frame <c>i</c> is due at <c>start + i * gap</c>. Frames that are late go out at once
/// (catching up keeps the average rate), early ones wait with <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.
/// Timers tick in about a millisecond, so above ~1000 frames/s frames leave in small bursts with the right average,
/// without burning a core on spinning. A gap of zero sends as fast as possible.
/// </summary>
internal sealed class Pacer
{
    // Closer than this to its time, a frame goes now rather than after another timer tick.
    private static readonly TimeSpan EarlyEnough = TimeSpan.FromMilliseconds(0.2);
    private readonly long _gapTicks;
    private readonly long _start = Stopwatch.GetTimestamp();

    public Pacer(TimeSpan gap)
    {
        _gapTicks = (long)(gap.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Waits until frame <paramref name="index"/> is due.</summary>
    /// <param name="index">The frame number, from 0.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the frame is due.</returns>
    public async ValueTask WaitAsync(long index, CancellationToken cancellationToken)
    {
        if (_gapTicks <= 0)
        {
            return;
        }

        var due = _start + (index * _gapTicks);
        while (true)
        {
            var remaining = TimeSpan.FromSeconds((double)(due - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
            if (remaining <= EarlyEnough)
            {
                return;
            }

            await Task.Delay(remaining >= TimeSpan.FromMilliseconds(2) ? remaining - TimeSpan.FromMilliseconds(0.5) : TimeSpan.FromMilliseconds(1), cancellationToken);
        }
    }
}
