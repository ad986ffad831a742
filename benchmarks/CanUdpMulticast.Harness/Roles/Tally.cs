using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using CanUdpMulticast.Harness.Native;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>A receiver's bookkeeping: counts per phase, the receive window and the CPU time spent in it.</summary>
internal sealed class Tally
{
    private readonly double _idleSeconds;
    private readonly long _deadline;
    private long _firstMeasured;
    private long _lastMeasured;
    private long _lastAny;
    private double _cpuAtFirst;
    private long _allocatedAtFirst;
    private long _allocated;
    private long _jitAtThousand = -1;
    private long _jitAfterThousand;

    public Tally(double idleSeconds, double deadlineSeconds)
    {
        _idleSeconds = idleSeconds;
        _deadline = Stopwatch.GetTimestamp() + (long)(deadlineSeconds * Stopwatch.Frequency);

        // Compiled now, not at the end of the run (the JIT probe counts compilations after the 1,000th frame): the end of
        // a run compiled Finish and a property setter there, which the probe counted as 2 methods of every receiver row.
        _cpuAtFirst = Libc.ProcessCpuSeconds();
        RuntimeHelpers.PrepareMethod(typeof(Tally).GetMethod(nameof(Finish))!.MethodHandle);
        RuntimeHelpers.PrepareMethod(typeof(Tally).GetMethod(nameof(OnIdle))!.MethodHandle);
    }

    public long Warmup { get; private set; }

    public long Measured { get; private set; }

    public long Other { get; private set; }

    public bool Done { get; private set; }

    public double CpuSeconds { get; private set; }

    /// <summary>Counts one received frame; returns <see langword="true"/> once the run is over.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Observe(byte kind)
    {
        switch (kind)
        {
            case FrameKind.Measured:
                var now = Stopwatch.GetTimestamp();
                if (Measured == 0)
                {
                    _firstMeasured = now;
                    _cpuAtFirst = Libc.ProcessCpuSeconds();
                    _allocatedAtFirst = GC.GetTotalAllocatedBytes(precise: true);
                }

                Measured++;
                if (Measured == JitProbe.AfterFrames)
                {
                    // Counted from the 1,000th measured frame: the harness's own first-measured-frame code has run by then.
                    JitProbe.Arm();
                    _jitAtThousand = JitInfo.GetCompiledMethodCount();
                }

                _lastMeasured = now;
                _lastAny = now;
                break;
            case FrameKind.Warmup:
                Warmup++;
                _lastAny = Stopwatch.GetTimestamp();
                break;
            case FrameKind.End:
                Finish();
                break;
            default:
                Other++;
                break;
        }

        return Done;
    }

    /// <summary>Called when a receive call timed out: ends the run after the idle limit (measured phase seen) or the deadline.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool OnIdle()
    {
        var now = Stopwatch.GetTimestamp();
        if ((Measured > 0 && Stopwatch.GetElapsedTime(_lastAny, now).TotalSeconds >= _idleSeconds) || now >= _deadline)
        {
            Finish();
        }

        return Done;
    }

    /// <summary>Whether <see cref="OnIdle"/> would end the run now (read-only, for a watchdog on another thread).</summary>
    public bool IdleExpired()
    {
        var now = Stopwatch.GetTimestamp();
        return (Measured > 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastAny), now).TotalSeconds >= _idleSeconds) || now >= _deadline;
    }

    /// <summary>Ends the run (idempotent) and takes the CPU time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Finish()
    {
        if (!Done)
        {
            Done = true;
            _jitAfterThousand = _jitAtThousand < 0 ? 0 : JitInfo.GetCompiledMethodCount() - _jitAtThousand;
            CpuSeconds = Measured > 0 ? Libc.ProcessCpuSeconds() - _cpuAtFirst : 0;
            _allocated = Measured > 0 ? GC.GetTotalAllocatedBytes(precise: true) - _allocatedAtFirst : 0;
            JitProbe.Dump();
        }
    }

    /// <summary>The result line fields.</summary>
    public IEnumerable<(string Key, double Value)> Fields()
    {
        var window = Measured > 1 ? Stopwatch.GetElapsedTime(_firstMeasured, _lastMeasured).TotalSeconds : 0;
        yield return ("received", Measured);
        yield return ("warmup_received", Warmup);
        yield return ("other_received", Other);
        yield return ("recv_seconds", window);
        yield return ("recv_rate", window > 0 ? (Measured - 1) / window : 0);
        yield return ("cpu_seconds", CpuSeconds);
        yield return ("cpu_us_per_frame", Measured > 0 ? CpuSeconds * 1e6 / Measured : 0);
        yield return ("alloc_bytes_per_frame", Measured > 0 ? (double)_allocated / Measured : 0);
        yield return (JitProbe.Field, _jitAfterThousand);
    }
}
