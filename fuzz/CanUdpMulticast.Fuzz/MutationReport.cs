namespace CanUdpMulticast.Fuzz;

/// <summary>What an in-process mutation run did: executions, and each input that crashed (escaped exception) or hung (took longer than the threshold).</summary>
internal sealed record MutationReport(string Target, long Executions, TimeSpan Elapsed, IReadOnlyList<MutationFinding> Crashes, IReadOnlyList<MutationFinding> Hangs, TimeSpan Slowest)
{
    public override string ToString() =>
        $"{Target}: {Executions} executions in {Elapsed.TotalSeconds:F1} s, {Crashes.Count} crashes, {Hangs.Count} hangs, slowest input {Slowest.TotalMilliseconds:F1} ms";
}
