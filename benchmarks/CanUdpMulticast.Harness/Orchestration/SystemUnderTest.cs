namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>One row of the tables: which implementation sends and which receives (or pings and pongs).</summary>
/// <param name="Key">Short name for <c>--systems</c> and the JSON output.</param>
/// <param name="Label">The row label.</param>
/// <param name="SendImpl">The sender's (or pinger's) implementation: <c>raw</c>, <c>mmsg</c>, <c>python</c>, <c>lib-…</c>.</param>
/// <param name="ReceiveImpl">The receiver's (or ponger's) implementation.</param>
/// <param name="Args">Extra <c>--key value</c> arguments for both processes.</param>
internal sealed record SystemUnderTest(string Key, string Label, string SendImpl, string ReceiveImpl, params string[] Args)
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
        new("raw-nojoin", "raw .NET SendTo from a socket that has not joined the group", "raw", "raw", "--join", "0"),
        .. LibrarySystems.Throughput,
        // A sender's rate depends on its receiver (the kernel wakes the receiver in the sender's context): these two pair
        // each batch sender with the other's receiver, so senders compare against one receiver (issue 4, target 3b).
        new(MmsgToBatch, "raw sendmmsg → CanUdpMulticast ReceiveBatch (64) (diagnostic)", "mmsg", "lib-batch"),
        new(BatchToMmsg, "CanUdpMulticast SendBatch (64) → raw recvmmsg (diagnostic)", "lib-batch", "mmsg"),
    ];

    /// <summary>Raw sendmmsg into the library's ReceiveBatch.</summary>
    public const string MmsgToBatch = "mmsg-to-lib-batch";

    /// <summary>The library's SendBatch into raw recvmmsg.</summary>
    public const string BatchToMmsg = "lib-batch-to-mmsg";

    public static IReadOnlyList<SystemUnderTest> RoundTrip { get; } =
    [
        new(Raw, "raw .NET SendTo/ReceiveFrom (sync)", "raw", "raw"),
        LibrarySystems.RoundTrip[0],
        new(Mmsg, "raw sendmmsg/recvmmsg (P/Invoke)", "mmsg", "mmsg"),
        new("pattern", "raw separate send socket + non-blocking recv, then blocking recv (the library's system calls, diagnostic)", "pattern", "pattern"),
        new(Python, "python-can 4.1.0 udp_multicast", "python", "python"),
        new("raw-async", "raw .NET SendToAsync/ReceiveFromAsync (the runtime's socket engine)", "raw-async", "raw-async"),
        .. LibrarySystems.RoundTrip.Skip(1),
    ];

    /// <summary>Periodic senders; the receiver is always the library (kernel timestamps), the same instrument for both.</summary>
    public static IReadOnlyList<SystemUnderTest> Jitter { get; } =
    [
        new(Python, "python-can 4.1.0 send_periodic", "python", "lib"),
        .. LibrarySystems.Jitter,
    ];

    /// <summary>
    /// Receivers fed faster than they can read: a raw sendmmsg sender (the fastest sender here) sends the same datagrams
    /// to each. Measures receive capacity and CPU per received frame of a saturated receiver (issue 4, target 5).
    /// </summary>
    public static IReadOnlyList<SystemUnderTest> Saturated { get; } =
    [
        new(Raw, "raw .NET ReceiveFrom", "mmsg", "raw"),
        new(Mmsg, "raw recvmmsg x64 + SO_TIMESTAMPNS", "mmsg", "mmsg"),
        new(Python, "python-can 4.1.0 recv", "mmsg", "python"),
        .. LibrarySystems.Saturated,
    ];

    /// <summary>Codec rows: encode and decode+validate of one classic frame, in a process pinned to CPU 1.</summary>
    public static IReadOnlyList<SystemUnderTest> Codec { get; } =
    [
        new(Python, "python-can 4.1.0 pack_message / unpack_message(check=True)", "python", "python"),
        new("lib", "CanUdpMulticast WireCodec.Encode / Decode (validates)", "lib", "lib"),
    ];

    public static IReadOnlyList<SystemUnderTest> FanOut { get; } =
    [
        new(Raw, "raw .NET SendTo/ReceiveFrom", "raw", "raw"),
        new(Python, "python-can 4.1.0 udp_multicast", "python", "python"),
        .. LibrarySystems.FanOut,
    ];

    /// <summary>Every row key of every scenario (what <c>--systems</c> accepts), in first-seen order.</summary>
    public static IReadOnlyList<string> AllKeys { get; } =
        [.. new[] { Throughput, RoundTrip, Saturated, FanOut, Jitter, Codec }.SelectMany(rows => rows).Select(row => row.Key).Distinct(StringComparer.Ordinal)];
}
