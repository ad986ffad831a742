using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Registry;

/// <summary>
/// Opens a bus of one interface from a configuration (what <see cref="CanInterfaceRegistry.Register"/> takes).
/// Read the options with the configuration's getters (<see cref="BusConfiguration.GetInt32"/>, ...): the registry
/// treats every key no getter asked for as unknown, so a misspelt key fails the open instead of passing silently.
/// </summary>
/// <param name="configuration">The interface, channel and options; <see cref="BusConfiguration.Filters"/> are applied by the registry after the bus opens.</param>
/// <param name="loggerFactory">Where the bus should log (never <see langword="null"/>; a no-op factory when the caller gave none).</param>
/// <returns>The open bus.</returns>
/// <exception cref="CanInitializationException">The bus could not open; <see cref="CanConfigurationException"/> for a bad option.</exception>
public delegate CanBus CanBusFactory(BusConfiguration configuration, ILoggerFactory loggerFactory);
