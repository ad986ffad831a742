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
    private readonly bool _backlog;
    private long _firstMeasured;
    private long _lastMeasured;
    private long _lastAny;
    private double _cpuAtFirst;
    private long _allocatedAtFirst;
    private long _allocated;
    private long _jitAtThousand = -1;
    private long _jitAfterThousand;

    /// <param name="idleSeconds">How long without frames ends the run once measured frames came.</param>
    /// <param name="deadlineSeconds">The longest run.</param>
    /// <param name="backlog">
    /// Drain a backlog: at the first measured frame stop reading until the orchestrator writes a line to standard input
    /// (after the sender has sent every measured frame into the socket's large buffer), then measure from there. The
    /// receiver then always finds frames waiting: saturated, whatever the sender's speed.
    /// </param>
    public Tally(double idleSeconds, double deadlineSeconds, bool backlog = false)
    {
        _idleSeconds = idleSeconds;
        _backlog = backlog;
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
                if (Measured == 0 && _backlog)
                {
                    WaitForGo();
                }

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

    /// <summary>Blocks until the orchestrator's go line (backlog mode); frames queue in the socket meanwhile.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WaitForGo()
    {
        if (Console.In.ReadLine() is null)
        {
            throw new InvalidOperationException("standard input closed before the go signal");
        }
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
            JitProbe.Stop();
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
        // In backlog mode the first measured frame was read before the measurement started (it triggered the pause).
        var measuredCpuFrames = _backlog ? Measured - 1 : Measured;
        yield return ("cpu_us_per_frame", measuredCpuFrames > 0 ? CpuSeconds * 1e6 / measuredCpuFrames : 0);
        yield return ("alloc_bytes_per_frame", Measured > 0 ? (double)_allocated / Measured : 0);
        yield return (JitProbe.Field, _jitAfterThousand);
        foreach (var field in JitProbe.Fields())
        {
            yield return field;
        }

        // CLOCK_MONOTONIC seconds (Stopwatch's clock on Linux): lines a profile (perf record -k CLOCK_MONOTONIC) up with the measured window.
        yield return ("first_measured_monotonic_s", (double)_firstMeasured / Stopwatch.Frequency);
        yield return ("last_measured_monotonic_s", (double)_lastMeasured / Stopwatch.Frequency);
    }
}
