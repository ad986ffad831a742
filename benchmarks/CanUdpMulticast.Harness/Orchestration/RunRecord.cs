namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>One measured run: a scenario, a row, where it ran, and what the processes reported.</summary>
internal sealed record RunRecord(string Scenario, string System, string Placement, int Rep, IReadOnlyDictionary<string, double> Metrics, string? Error);
