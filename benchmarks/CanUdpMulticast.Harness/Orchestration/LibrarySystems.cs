namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>The library's rows (empty until UdpMulticastBus is on the branch).</summary>
internal static class LibrarySystems
{
    public static IReadOnlyList<SystemUnderTest> Throughput { get; } = [];

    public static IReadOnlyList<SystemUnderTest> RoundTrip { get; } = [];

    public static IReadOnlyList<SystemUnderTest> FanOut { get; } = [];
}
