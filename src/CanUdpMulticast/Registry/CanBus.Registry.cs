using CanUdpMulticast.Registry;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast;

/// <summary>The static entry points that open buses by name; they forward to <see cref="CanInterfaceRegistry.Default"/>.</summary>
public abstract partial class CanBus
{
    /// <summary>
    /// Opens a bus by interface name (python-can's <c>can.Bus(...)</c>). Values given here win; missing ones come
    /// from the environment (<c>CAN_INTERFACE</c>, <c>CAN_CHANNEL</c>, <c>CAN_BITRATE</c>, <c>CAN_CONFIG</c>) and then
    /// from the config files, unless <paramref name="ignoreConfig"/> is set.
    /// </summary>
    /// <param name="interfaceName">The interface, e.g. <c>"udp_multicast"</c> or <c>"virtual"</c>.</param>
    /// <param name="channel">The channel; <see langword="null"/> for the configured or the backend's default.</param>
    /// <param name="options">Backend options (python-can keyword arguments, e.g. <c>receive_own_messages</c>). A key the
    /// interface does not know fails with <see cref="CanConfigurationException"/> naming the closest valid key.</param>
    /// <param name="context">A named configuration section / environment suffix (python-can's <c>config_context</c>).</param>
    /// <param name="ignoreConfig">Use only the arguments given here.</param>
    /// <param name="loggerFactory">Where the bus logs; <see langword="null"/> for nowhere.</param>
    /// <returns>The open bus.</returns>
    /// <exception cref="CanInterfaceNotImplementedException">No interface was given or configured, or it is unknown.</exception>
    /// <exception cref="CanConfigurationException">An option is unknown or has a bad value.</exception>
    /// <exception cref="CanInitializationException">The bus could not open.</exception>
    public static CanBus Create(
        string? interfaceName = null,
        string? channel = null,
        IReadOnlyDictionary<string, object?>? options = null,
        string? context = null,
        bool ignoreConfig = false,
        ILoggerFactory? loggerFactory = null)
    {
        var explicitConfig = new BusConfiguration(interfaceName, channel, options);
        var config = ignoreConfig ? explicitConfig : BusConfigurationLoader.Default.Load(explicitConfig, context);
        return CanInterfaceRegistry.Default.Create(config, loggerFactory);
    }

    /// <summary>Opens a bus exactly as configured (no environment or file is read).</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="loggerFactory">Where the bus logs; <see langword="null"/> for nowhere.</param>
    /// <returns>The open bus.</returns>
    /// <exception cref="CanInterfaceNotImplementedException">The interface is missing or unknown.</exception>
    /// <exception cref="CanConfigurationException">An option is unknown or has a bad value.</exception>
    /// <exception cref="CanInitializationException">The bus could not open.</exception>
    public static CanBus Create(BusConfiguration configuration, ILoggerFactory? loggerFactory) =>
        CanInterfaceRegistry.Default.Create(configuration, loggerFactory);

    /// <summary>Opens a bus exactly as configured (no environment or file is read), logging nowhere.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The open bus.</returns>
    /// <exception cref="CanInterfaceNotImplementedException">The interface is missing or unknown.</exception>
    /// <exception cref="CanConfigurationException">An option is unknown or has a bad value.</exception>
    /// <exception cref="CanInitializationException">The bus could not open.</exception>
    public static CanBus Create(BusConfiguration configuration) => CanInterfaceRegistry.Default.Create(configuration);

    /// <summary>
    /// Probes every registered interface (or the ones named) in parallel and returns the configurations that work
    /// on this host (python-can's <c>detect_available_configs</c>).
    /// </summary>
    /// <param name="interfaces">Interface names to probe; <see langword="null"/> for all.</param>
    /// <param name="timeout">The time all detectors get together; <see langword="null"/> waits for every detector (as python-can).</param>
    /// <param name="logger">Where failing detectors are logged.</param>
    /// <returns>Configurations that <see cref="Create(BusConfiguration)"/> accepts.</returns>
    public static IReadOnlyList<BusConfiguration> DetectAvailableConfigs(IEnumerable<string>? interfaces = null, TimeSpan? timeout = null, ILogger? logger = null) =>
        CanInterfaceRegistry.Default.DetectAvailableConfigsAsync(interfaces, timeout, logger).GetAwaiter().GetResult();

    /// <summary>Asynchronous <see cref="DetectAvailableConfigs"/>.</summary>
    /// <param name="interfaces">Interface names to probe; <see langword="null"/> for all.</param>
    /// <param name="timeout">The time all detectors get together; <see langword="null"/> waits for every detector.</param>
    /// <param name="logger">Where failing detectors are logged.</param>
    /// <param name="cancellationToken">Cancels the detection.</param>
    /// <returns>Configurations that <see cref="Create(BusConfiguration)"/> accepts.</returns>
    public static Task<IReadOnlyList<BusConfiguration>> DetectAvailableConfigsAsync(
        IEnumerable<string>? interfaces = null, TimeSpan? timeout = null, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        CanInterfaceRegistry.Default.DetectAvailableConfigsAsync(interfaces, timeout, logger, cancellationToken);
}
