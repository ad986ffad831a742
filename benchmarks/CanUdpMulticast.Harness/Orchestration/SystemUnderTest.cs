namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>One row of the tables: which implementation sends and which receives (or pings and pongs).</summary>
/// <param name="Key">Short name for <c>--systems</c> and the JSON output.</param>
/// <param name="Label">The row label.</param>
/// <param name="SendImpl">The sender's (or pinger's) implementation: <c>raw</c>, <c>mmsg</c>, <c>python</c>, <c>lib-…</c>.</param>
/// <param name="ReceiveImpl">The receiver's (or ponger's) implementation.</param>
internal sealed record SystemUnderTest(string Key, string Label, string SendImpl, string ReceiveImpl)
{
    public bool IsPython => SendImpl == "python";

    public bool IsLibrary => SendImpl.StartsWith("lib", StringComparison.Ordinal);

    public const string Raw = "raw";
    public const string Mmsg = "mmsg";
    public const string Python = "python";

    public static IReadOnlyList<SystemUnderTest> Throughput { get; } =
    [
        new(Raw, "raw .NET SendTo/ReceiveFrom (no CAN encoding)", "raw", "raw"),
        new(Mmsg, "raw sendmmsg/recvmmsg x64 + SO_TIMESTAMPNS (P/Invoke)", "mmsg", "mmsg"),
        new(Python, "python-can 4.1.0 udp_multicast", "python", "python"),
        .. LibrarySystems.Throughput,
    ];

    public static IReadOnlyList<SystemUnderTest> RoundTrip { get; } =
    [
        new(Raw, "raw .NET SendTo/ReceiveFrom (sync)", "raw", "raw"),
        new(Mmsg, "raw sendmmsg/recvmmsg (P/Invoke)", "mmsg", "mmsg"),
        new(Python, "python-can 4.1.0 udp_multicast", "python", "python"),
        .. LibrarySystems.RoundTrip,
    ];

    public static IReadOnlyList<SystemUnderTest> FanOut { get; } =
    [
        new(Raw, "raw .NET SendTo/ReceiveFrom", "raw", "raw"),
        new(Python, "python-can 4.1.0 udp_multicast", "python", "python"),
        .. LibrarySystems.FanOut,
    ];
}
