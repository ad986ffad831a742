using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// Issue 11, item 7: how many methods the JIT compiles after a role's first <see cref="AfterFrames"/> frames. Anything
/// above 0 is a compilation in the hot path's steady state.
/// </summary>
/// <remarks>
/// <para>Two counts. The whole process's (any tier, any thread: <see cref="System.Runtime.JitInfo.GetCompiledMethodCount"/>,
/// <see cref="Field"/>), which the roles take themselves; it includes the runtime's own methods tiering up and the
/// harness's code. And, from the names of the compiled methods (the runtime's JIT events through an
/// <see cref="EventListener"/>), the library's own methods (<see cref="LibraryField"/>: declared in a
/// <c>CanUdpMulticast.*</c> namespace other than <c>CanUdpMulticast.Harness*</c>), which is what target 11.d judges, and
/// the runtime's generic types instantiated over the library's types (<see cref="OverLibraryField"/>, e.g.
/// <c>ValueTask&lt;CanMessage?&gt;</c>), which the library shapes but does not compile.</para>
/// <para>The listener runs in the receiving and pinging roles of the library's rows; <c>CANUDP_BENCH_JIT_LISTENER=1</c>
/// starts it in every row, <c>=0</c> in none (unless the names are asked for). It is not free: with it, the raw backlog receiver's CPU per frame was about
/// 4 % higher, and the runtime tiers up on another schedule, so the whole-process count changes (docs/benchmarks.md,
/// issue 11, sixth pass). With <c>CANUDP_BENCH_JIT_NAMES=1</c> a role (any row) also writes the names to
/// <c>$TMPDIR/canudp-jit-&lt;pid&gt;.txt</c>.</para>
/// </remarks>
internal static class JitProbe
{
    /// <summary>The frames after which compilations are counted.</summary>
    public const int AfterFrames = 1_000;

    /// <summary>The result field: every method compiled in the process.</summary>
    public const string Field = "jit_methods_after_1000";

    /// <summary>The result field: the library's own methods.</summary>
    public const string LibraryField = "jit_library_methods_after_1000";

    /// <summary>The result field: the runtime's generic methods instantiated over the library's types.</summary>
    public const string OverLibraryField = "jit_runtime_over_library_after_1000";

    private const string Library = "CanUdpMulticast.";
    private const string Harness = "CanUdpMulticast.Harness";

    private static JitNameListener? s_listener;
    private static bool s_writeNames;

    /// <summary>Starts the name listener where it is wanted (before the role runs).</summary>
    /// <param name="role">The role: only the receiving and pinging ones count.</param>
    /// <param name="impl">The implementation: by default only the library's rows (<c>lib*</c>) listen, so the baselines'
    /// CPU per frame (the denominators of the targets' ratios) is measured without it.</param>
    public static void Start(string role, string impl)
    {
        s_writeNames = Environment.GetEnvironmentVariable("CANUDP_BENCH_JIT_NAMES") == "1";
        var wanted = Environment.GetEnvironmentVariable("CANUDP_BENCH_JIT_LISTENER") switch
        {
            "0" => s_writeNames,
            "1" => true,
            _ => s_writeNames || impl.StartsWith("lib", StringComparison.Ordinal),
        };
        if (wanted && role is "recv" or "ping")
        {
            s_listener = new JitNameListener();
        }
    }

    /// <summary>From now on, compiled methods are classified (and their names kept).</summary>
    public static void Arm() => s_listener?.Arm();

    /// <summary>
    /// Ends the count: waits for the runtime's last events (it delivers them to a listener asynchronously) and writes the
    /// names when asked for. Call it after the measured phase, before <see cref="Fields"/>.
    /// </summary>
    public static void Stop()
    {
        if (s_listener is { } listener)
        {
            Thread.Sleep(500);
            listener.Disarm();
            if (s_writeNames)
            {
                listener.Dump();
            }
        }
    }

    /// <summary>The listener's counts (none when it did not run: the report then has the whole-process count only).</summary>
    public static IEnumerable<(string Key, double Value)> Fields() => s_listener is { } listener
        ? [(LibraryField, listener.Library), (OverLibraryField, listener.OverLibrary)]
        : [];

    /// <summary>What a compiled method's declaring type (the runtime's <c>MethodNamespace</c>, e.g.
    /// <c>System.ValueTask`1[CanUdpMulticast.CanMessage]</c>) says about whose it is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the listener's own code is not to tier up mid-run either
    internal static JitMethodOwner Classify(string declaringType)
    {
        if (declaringType.StartsWith(Library, StringComparison.Ordinal))
        {
            return declaringType.StartsWith(Harness, StringComparison.Ordinal) ? JitMethodOwner.Other : JitMethodOwner.Library;
        }

        // A runtime generic over a library type names it among its type arguments.
        for (var at = declaringType.IndexOf(Library, StringComparison.Ordinal); at >= 0; at = declaringType.IndexOf(Library, at + 1, StringComparison.Ordinal))
        {
            if (string.CompareOrdinal(declaringType, at, Harness, 0, Harness.Length) != 0)
            {
                return JitMethodOwner.RuntimeOverLibrary;
            }
        }

        return JitMethodOwner.Other;
    }

    private sealed class JitNameListener : EventListener
    {
        private readonly ConcurrentQueue<string> _names = new();
        private volatile bool _armed;
        private int _library;
        private int _overLibrary;

        public int Library => Volatile.Read(ref _library);

        public int OverLibrary => Volatile.Read(ref _overLibrary);

        public void Arm() => _armed = true;

        public void Disarm() => _armed = false;

        public void Dump() => File.WriteAllLines(Path.Combine(Path.GetTempPath(), $"canudp-jit-{Environment.ProcessId}.txt"), _names);

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x10); // JIT keyword: MethodLoadVerbose
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (!_armed || eventData.EventName?.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) != true
                || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
            {
                return;
            }

            var ns = names.IndexOf("MethodNamespace");
            var declaringType = ns >= 0 ? payload[ns] as string ?? "?" : "?";
            switch (Classify(declaringType))
            {
                case JitMethodOwner.Library:
                    Interlocked.Increment(ref _library);
                    break;
                case JitMethodOwner.RuntimeOverLibrary:
                    Interlocked.Increment(ref _overLibrary);
                    break;
            }

            if (s_writeNames)
            {
                var name = names.IndexOf("MethodName");
                var flags = names.IndexOf("MethodFlags");
                _names.Enqueue($"{declaringType}::{(name >= 0 ? payload[name] : "?")} flags={(flags >= 0 ? payload[flags] : "?")}");
            }
        }
    }
}
