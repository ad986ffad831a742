using System.Diagnostics;
using System.Net.Http;
using System.Text.Json;

/// <summary>
/// A snapshot of what a measured phase costs: managed bytes allocated, CPU time of this process and of the nats-server
/// process, and the server's own message and byte counters (its monitoring endpoint, <c>/varz</c>).
/// </summary>
internal readonly record struct Probe(long Allocated, TimeSpan ClientCpu, TimeSpan ServerCpu, long InMsgs, long InBytes, long Timestamp)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static Process? Server { get; set; }

    public static string? MonitorUrl { get; set; }

    public static async Task<Probe> TakeAsync()
    {
        long inMsgs = 0, inBytes = 0;
        if (MonitorUrl is { } url)
        {
            using var varz = JsonDocument.Parse(await Http.GetStringAsync(new Uri(url + "/varz")));
            inMsgs = varz.RootElement.GetProperty("in_msgs").GetInt64();
            inBytes = varz.RootElement.GetProperty("in_bytes").GetInt64();
        }

        Server?.Refresh();
        return new Probe(GC.GetTotalAllocatedBytes(true), Process.GetCurrentProcess().TotalProcessorTime,
            Server?.TotalProcessorTime ?? TimeSpan.Zero, inMsgs, inBytes, Stopwatch.GetTimestamp());
    }

    /// <summary>Per-frame costs from this snapshot to a later one.</summary>
    public Cost To(Probe after, int frames) => new(
        (after.Allocated - Allocated) / (double)frames,
        (after.ClientCpu - ClientCpu).TotalMicroseconds / frames,
        (after.ServerCpu - ServerCpu).TotalMicroseconds / frames,
        after.InMsgs - InMsgs > 0 ? (after.InBytes - InBytes) / (double)(after.InMsgs - InMsgs) : 0,
        frames / Stopwatch.GetElapsedTime(Timestamp, after.Timestamp).TotalSeconds);
}

/// <summary>What one phase cost per frame.</summary>
/// <param name="Alloc">Managed bytes allocated (whole process).</param>
/// <param name="ClientCpu">CPU µs of this process (user + system, all threads).</param>
/// <param name="ServerCpu">CPU µs of nats-server.</param>
/// <param name="ServerBytes">Header + payload bytes per message the server received (its in_bytes / in_msgs).</param>
/// <param name="Rate">Frames per second over the phase.</param>
internal readonly record struct Cost(double Alloc, double ClientCpu, double ServerCpu, double ServerBytes, double Rate);

/// <summary>The CPU time of the calling thread (<c>/proc/thread-self/stat</c>, user + system, 10 ms ticks).</summary>
internal static class ThreadCpu
{
    public static TimeSpan Now()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
