using System.Diagnostics;
using System.Runtime;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// Ends a warm-up once the minimum time has passed and the JIT has compiled nothing for a while: tiered compilation
/// keeps re-compiling hot methods (tier 0, instrumented, tier 1) for a few seconds, and a compilation thread that shares
/// the CPU with a measured round trip shows up as latency. Capped, so a process that never settles still gets measured.
/// </summary>
internal sealed class WarmupGate
{
    private static readonly long QuietTicks = Stopwatch.Frequency / 2;
    private static readonly long CheckTicks = Stopwatch.Frequency / 50;

    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly long _minimumEnd;
    private readonly long _maximumEnd;
    private long _nextCheck;
    private long _lastCount = JitInfo.GetCompiledMethodCount();
    private long _lastChange = Stopwatch.GetTimestamp();

    /// <param name="minimumSeconds">The shortest warm-up.</param>
    public WarmupGate(double minimumSeconds)
    {
        _minimumEnd = _start + (long)(minimumSeconds * Stopwatch.Frequency);
        _maximumEnd = _start + (long)(Math.Max(minimumSeconds * 4, minimumSeconds + 8) * Stopwatch.Frequency);
        Seconds = 0; // compiled now, not when the warm-up ends (the JIT probe counts compilations after that)
    }

    /// <summary>How long the warm-up took, once <see cref="Running"/> returned false.</summary>
    public double Seconds { get; private set; }

    /// <summary>Whether to keep warming up (cheap enough to call once per iteration).</summary>
    public bool Running()
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _nextCheck)
        {
            return true;
        }

        _nextCheck = now + CheckTicks;
        var count = JitInfo.GetCompiledMethodCount();
        if (count != _lastCount)
        {
            _lastCount = count;
            _lastChange = now;
        }

        var done = now >= _maximumEnd || (now >= _minimumEnd && now - _lastChange >= QuietTicks);
        if (done)
        {
            Seconds = (double)(now - _start) / Stopwatch.Frequency;
        }

        return !done;
    }
}
