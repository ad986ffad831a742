using CanUdpMulticast.Interfaces.Virtual;

namespace CanUdpMulticast.Registry;

/// <summary>
/// The one place that names the built-in backends: the registry knows them through these explicit calls
/// (no reflection), and each maps python-can's keyword arguments onto the backend's typed options.
/// </summary>
internal static class BuiltInInterfaces
{
    /// <summary>The name of <see cref="VirtualBus"/>.</summary>
    public const string Virtual = "virtual";

    public static void RegisterAll(CanInterfaceRegistry registry)
    {
        registry.Register(Virtual, CreateVirtual, DetectVirtual);
    }

    private static VirtualBus CreateVirtual(BusConfiguration config) => new(new VirtualBusOptions
    {
        Channel = config.Channel ?? VirtualBusOptions.DefaultChannel,
        ReceiveOwnMessages = config.GetBoolean("receive_own_messages", false),
        PreserveTimestamps = config.GetBoolean("preserve_timestamps", false),
        ReceiveQueueCapacity = config.GetInt32("rx_queue_size", 0, min: 0),
        QueueFullMode = config.GetEnum("queue_full_mode", QueueFullMode.DropNewest),
        Protocol = config.GetEnum("protocol", CanProtocol.Can20),
    });

    private static ValueTask<IReadOnlyList<BusConfiguration>> DetectVirtual(CancellationToken cancellationToken) =>
        new([.. VirtualBus.DetectChannels().Select(channel => new BusConfiguration(Virtual, channel))]);
}
