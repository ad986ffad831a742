using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Interfaces.Virtual;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Registry;

/// <summary>
/// The one place that names the built-in backends: the registry knows them through these explicit calls
/// (no reflection), and each maps python-can's keyword arguments onto the backend's typed options.
/// </summary>
internal static class BuiltInInterfaces
{
    /// <summary>The name of <see cref="VirtualBus"/>.</summary>
    public const string Virtual = "virtual";

    /// <summary>The name of <see cref="UdpMulticastBus"/>, as in python-can.</summary>
    public const string UdpMulticast = "udp_multicast";

    public static void RegisterAll(CanInterfaceRegistry registry)
    {
        registry.Register(Virtual, CreateVirtual, DetectVirtual);
        registry.Register(UdpMulticast, CreateUdpMulticast, DetectUdpMulticastAsync);
    }

    /// <summary>python-can's <c>virtual</c> keywords; <c>fd=true</c> (python-can's common keyword) means protocol CAN FD unless <c>protocol</c> says otherwise.</summary>
    private static VirtualBus CreateVirtual(BusConfiguration config, ILoggerFactory loggerFactory)
    {
        var fd = config.GetBoolean("fd", false);
        var options = new VirtualBusOptions
        {
            Channel = config.Channel ?? VirtualBusOptions.DefaultChannel,
            ReceiveOwnMessages = config.GetBoolean("receive_own_messages", false),
            PreserveTimestamps = config.GetBoolean("preserve_timestamps", false),
            ReceiveQueueCapacity = config.GetInt32("rx_queue_size", 0, min: 0),
            QueueFullMode = config.GetEnum("queue_full_mode", QueueFullMode.DropNewest),
            Protocol = config.GetEnum("protocol", fd ? CanProtocol.CanFd : CanProtocol.Can20),
        };
        config.CheckUnusedOptions(loggerFactory.CreateLogger<CanInterfaceRegistry>());
        return new VirtualBus(options);
    }

    private static ValueTask<IReadOnlyList<BusConfiguration>> DetectVirtual(CancellationToken cancellationToken) =>
        new([.. VirtualBus.DetectChannels().Select(channel => new BusConfiguration(Virtual, channel))]);

    /// <summary>
    /// python-can's keyword arguments (<c>channel</c>, <c>port</c>, <c>hop_limit</c>, <c>fd</c>, <c>receive_own_messages</c>)
    /// plus ours (<c>network_interface</c>, <c>receive_buffer_size</c>, <c>isolate_group</c>, <c>timestamp_source</c>, <c>filter_own_echoes_in_kernel</c>,
    /// <c>allowed_sources</c> as a comma-separated list of CIDR prefixes).
    /// python-can's generic <c>bitrate</c> is accepted and ignored; any other key is unknown (see <see cref="BusConfiguration"/>).
    /// </summary>
    private static UdpMulticastBus CreateUdpMulticast(BusConfiguration config, ILoggerFactory loggerFactory)
    {
        var options = new UdpMulticastBusOptions
        {
            Channel = config.Channel ?? UdpMulticastBusOptions.DefaultGroupIPv6,
            Port = config.GetInt32("port", UdpMulticastBusOptions.DefaultPort, min: 1, max: 65535),
            HopLimit = config.GetInt32("hop_limit", UdpMulticastBusOptions.DefaultHopLimit, min: 0, max: 255),
            Fd = config.GetBoolean("fd", true),
            ReceiveOwnMessages = config.GetBoolean("receive_own_messages", false),
            FilterOwnEchoesInKernel = config.GetBoolean("filter_own_echoes_in_kernel", true),
            NetworkInterface = config.GetString("network_interface"),
            ReceiveBufferSize = config.GetInt32("receive_buffer_size", UdpMulticastBusOptions.DefaultReceiveBufferSize, min: 1),
            IsolateGroup = config.GetBoolean("isolate_group", true),
            TimestampSource = config.GetEnum("timestamp_source", UdpMulticastTimestampSource.Auto),
            AllowedSources = config.GetString("allowed_sources") is { } allowed
                ? allowed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : null,
            Logger = loggerFactory.CreateLogger<UdpMulticastBus>(),
        };
        config.CheckUnusedOptions(loggerFactory.CreateLogger<CanInterfaceRegistry>());
        return new UdpMulticastBus(options);
    }

    private static async ValueTask<IReadOnlyList<BusConfiguration>> DetectUdpMulticastAsync(CancellationToken cancellationToken)
    {
        var groups = await UdpMulticastBus.DetectAvailableGroupsAsync(cancellationToken).ConfigureAwait(false);
        return [.. groups.Select(group => new BusConfiguration(UdpMulticast, group))];
    }
}
