using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// Options of a <see cref="UdpMulticastBus"/>: python-can's <c>UdpMulticastBus</c> keyword arguments (<c>channel</c>,
/// <c>port</c>, <c>hop_limit</c>, <c>fd</c>, <c>receive_own_messages</c>) plus the ones python-can lacks.
/// </summary>
public sealed record UdpMulticastBusOptions
{
    /// <summary>python-can's default group: IPv6, site-local scope (the bytes spell "pythondemomcas").</summary>
    public const string DefaultGroupIPv6 = "ff15:7079:7468:6f6e:6465:6d6f:6d63:6173";

    /// <summary>python-can's IPv4 group (administratively scoped).</summary>
    public const string DefaultGroupIPv4 = "239.74.163.2";

    /// <summary>python-can's default UDP port.</summary>
    public const int DefaultPort = 43113;

    /// <summary>The default hop limit (IPv4 TTL / IPv6 hops): 1 keeps frames on the local link.</summary>
    public const int DefaultHopLimit = 1;

    /// <summary>The default socket receive buffer in bytes (1 MiB, about a thousand frames of burst).</summary>
    public const int DefaultReceiveBufferSize = 1 << 20;

    /// <summary>
    /// The multicast group (python-can's <c>channel</c>): an IPv4 or IPv6 multicast address literal; the IP version follows
    /// the address. Default <see cref="DefaultGroupIPv6"/>, as in python-can.
    /// </summary>
    public string Channel { get; init; } = DefaultGroupIPv6;

    /// <summary>The UDP port every node of the bus uses, 1..65535. Default 43113.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>
    /// How far sent frames travel (IPv4 TTL / IPv6 multicast hops), 0..255. 0 keeps them on this host, 1 (the default)
    /// on the local link.
    /// </summary>
    public int HopLimit { get; init; } = DefaultHopLimit;

    /// <summary>
    /// Whether the bus carries CAN FD frames (default <see langword="true"/>). When off, sending an FD frame throws and received
    /// FD frames are dropped and counted, as python-can does with <c>fd=False</c>.
    /// </summary>
    public bool Fd { get; init; } = true;

    /// <summary>
    /// Whether the bus returns the frames it sent itself, with <see cref="CanMessage.IsRx"/> <see langword="false"/>.
    /// Default <see langword="false"/>: own frames are never returned. (python-can refuses this option and then returns its own frames anyway.)
    /// </summary>
    public bool ReceiveOwnMessages { get; init; }

    /// <summary>
    /// Whether, on Linux, the bus drops its own frames in the kernel when <see cref="ReceiveOwnMessages"/> is off (a socket
    /// filter on its receive socket for the send socket's address and port, installed at open), so sending does not wake
    /// the bus's receive path for every frame, and a bus that only sends does not fill its receive buffer with its own frames. Default <see langword="true"/>. The kernel counts each filtered frame in the socket's
    /// drop count and the host's UDP <c>InErrors</c> (<c>netstat -su</c>, <c>nstat</c>); the bus subtracts its own frames
    /// from <see cref="UdpMulticastStatistics.KernelDrops"/> and counts them in <see cref="UdpMulticastStatistics.OwnFramesSkipped"/>.
    /// Turn it off where the host's UDP error counters are watched. Off, own frames reach the receive socket and are skipped
    /// by the bus; a bus that sends without receiving then fills its receive buffer with them, and the kernel's drops of
    /// the ones that follow count as <see cref="UdpMulticastStatistics.KernelDrops"/>.
    /// </summary>
    public bool FilterOwnEchoesInKernel { get; init; } = true;

    /// <summary>
    /// The network interface to join the group on and to send from: a name (<c>"eth0"</c>), an index (<c>"3"</c>) or
    /// one of the interface's addresses. <see langword="null"/> (the default) lets the OS routing table choose, as python-can does.
    /// </summary>
    public string? NetworkInterface { get; init; }

    /// <summary>
    /// The receive socket's buffer in bytes (<c>SO_RCVBUF</c>); frames that arrive while it is full are lost and counted in
    /// <see cref="UdpMulticastStatistics.KernelDrops"/>. The OS may cap it (Linux: <c>net.core.rmem_max</c>). Default 1 MiB.
    /// </summary>
    public int ReceiveBufferSize { get; init; } = DefaultReceiveBufferSize;

    /// <summary>
    /// Whether the bus receives only its own group (default <see langword="true"/>). Linux otherwise delivers to a socket bound to the
    /// port the traffic of every group any socket on the host joined on that port (<c>IP_MULTICAST_ALL</c>), so buses on
    /// different groups with one port would see each other's frames, as python-can's do. Other platforms filter by group anyway.
    /// </summary>
    public bool IsolateGroup { get; init; } = true;

    /// <summary>Where receive timestamps come from; <see cref="UdpMulticastTimestampSource.Auto"/> (the default) prefers the kernel.</summary>
    public UdpMulticastTimestampSource TimestampSource { get; init; } = UdpMulticastTimestampSource.Auto;

    /// <summary>
    /// The senders whose datagrams the bus accepts: IPv4 or IPv6 addresses or CIDR prefixes, e.g. <c>"192.168.1.0/24"</c>,
    /// <c>"fd00::/8"</c>, <c>"10.0.0.7"</c> (host bits of a prefix are ignored). A datagram from any other source address is
    /// dropped before it is decoded and counted in <see cref="UdpMulticastStatistics.SourcesRejected"/>. The bus's own
    /// frames are not subject to it. <see langword="null"/> (the default) accepts every sender, as python-can does; an empty
    /// list accepts none. A lever against stray or careless senders within the hop limit, not authentication: a host on
    /// the link can forge its source address. An invalid entry fails the open with <see cref="CanInitializationException"/>.
    /// </summary>
    public IReadOnlyList<string>? AllowedSources { get; init; }

    /// <summary>Initial acceptance filters.</summary>
    public IReadOnlyList<CanFilter>? Filters { get; init; }

    /// <summary>Where the bus logs (malformed datagrams, rate-limited; receive errors; open and close). Default: nowhere.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Test hook: install the own-echo filter only when the first own echo arrives (as when the send address is unknown at open).</summary>
    internal bool DeferOwnEchoFilter { get; init; }

    /// <summary>Test hook: use the portable transport (software timestamps) even on Linux.</summary>
    internal bool ForcePortableTransport { get; init; }
}
