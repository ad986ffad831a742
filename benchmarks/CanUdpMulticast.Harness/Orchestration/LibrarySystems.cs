namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>The library's rows: UdpMulticastBus opened through the registry (<c>CanBus.Create("udp_multicast", ...)</c>) with its defaults and hop limit 0.</summary>
internal static class LibrarySystems
{
    public const string Sync = "lib-sync";
    public const string Async = "lib-async";
    public const string ReadAll = "lib-readall";
    public const string Batch = "lib-batch";

    public static IReadOnlyList<SystemUnderTest> Throughput { get; } =
    [
        new(Sync, "CanUdpMulticast: Send (1 frame/call) → Receive", "lib", "lib"),
        new(Async, "CanUdpMulticast: Send (1 frame/call) → ReceiveAsync", "lib", "lib-async"),
        new(ReadAll, "CanUdpMulticast: Send (1 frame/call) → ReadAllAsync", "lib", "lib-readall"),
        new(Batch, "CanUdpMulticast: SendBatch (64) → ReceiveBatch (64)", "lib-batch", "lib-batch"),
    ];

    public static IReadOnlyList<SystemUnderTest> RoundTrip { get; } =
    [
        new(Sync, "CanUdpMulticast: Send + Receive (sync)", "lib", "lib"),
        new(Async, "CanUdpMulticast: SendAsync + ReceiveAsync", "lib-async", "lib-async"),
        new(Sync + "-swts", "CanUdpMulticast: Send + Receive, software timestamps (diagnostic)", "lib", "lib", "--timestamps", "software"),
    ];

    public static IReadOnlyList<SystemUnderTest> Saturated { get; } =
    [
        new(Sync, "CanUdpMulticast Receive", "mmsg", "lib"),
        new(Async, "CanUdpMulticast ReceiveAsync", "mmsg", "lib-async"),
        new(ReadAll, "CanUdpMulticast ReadAllAsync", "mmsg", "lib-readall"),
        new(Batch, "CanUdpMulticast ReceiveBatch (64)", "mmsg", "lib-batch"),
    ];

    public static IReadOnlyList<SystemUnderTest> Jitter { get; } =
    [
        new("lib", "CanUdpMulticast SendPeriodic", "lib", "lib"),
        new("lib-cold", "CanUdpMulticast SendPeriodic, cold process (no warm-up task)", "lib", "lib", "--cold", "1"),
    ];

    public static IReadOnlyList<SystemUnderTest> FanOut { get; } =
    [
        new(Sync, "CanUdpMulticast: Send → Receive", "lib", "lib"),
    ];
}
