using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// Issue 11, item 7: how many methods the JIT compiles (any tier, any thread: <see cref="System.Runtime.JitInfo.GetCompiledMethodCount"/>)
/// after a role's first <see cref="AfterFrames"/> frames. Anything above 0 is a compilation in the hot path's steady state.
/// With <c>CANUDP_BENCH_JIT_NAMES=1</c> a role also writes the names of those methods to <c>$TMPDIR/canudp-jit-&lt;pid&gt;.txt</c>
/// (diagnostic: the runtime's JIT events cost time while enabled).
/// </summary>
internal static class JitProbe
{
    /// <summary>The frames after which compilations are counted.</summary>
    public const int AfterFrames = 1_000;

    /// <summary>The result field.</summary>
    public const string Field = "jit_methods_after_1000";

    private static JitNameListener? s_listener;

    /// <summary>Starts the name listener when asked for (before the role runs).</summary>
    public static void StartIfAsked()
    {
        if (Environment.GetEnvironmentVariable("CANUDP_BENCH_JIT_NAMES") == "1")
        {
            s_listener = new JitNameListener();
        }
    }

    /// <summary>From now on, names of compiled methods are kept.</summary>
    public static void Arm() => s_listener?.Arm();

    /// <summary>Writes the names kept so far (after a pause: the runtime delivers its events to a listener asynchronously).</summary>
    public static void Dump()
    {
        if (s_listener is { } listener)
        {
            Thread.Sleep(500);
            listener.Dump();
        }
    }

    private sealed class JitNameListener : EventListener
    {
        private readonly ConcurrentQueue<string> _names = new();
        private volatile bool _armed;

        public void Arm() => _armed = true;

        public void Dump() => File.WriteAllLines(Path.Combine(Path.GetTempPath(), $"canudp-jit-{Environment.ProcessId}.txt"), _names);

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x10); // JIT keyword: MethodLoadVerbose
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (_armed && eventData.EventName?.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) == true
                && eventData.PayloadNames is { } names && eventData.Payload is { } payload)
            {
                var ns = names.IndexOf("MethodNamespace");
                var name = names.IndexOf("MethodName");
                var flags = names.IndexOf("MethodFlags");
                _names.Enqueue($"{(ns >= 0 ? payload[ns] : "?")}::{(name >= 0 ? payload[name] : "?")} flags={(flags >= 0 ? payload[flags] : "?")}");
            }
        }
    }
}
