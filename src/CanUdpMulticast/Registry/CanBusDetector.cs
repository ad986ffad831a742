namespace CanUdpMulticast.Registry;

/// <summary>
/// Probes which configurations of one interface work on this host right now (python-can's
/// <c>_detect_available_configs</c>). It should really try (open, join) rather than guess, and honour the token.
/// </summary>
/// <param name="cancellationToken">Cancelled when the detection's time is up.</param>
/// <returns>Configurations that <see cref="CanInterfaceRegistry.Create(BusConfiguration, Microsoft.Extensions.Logging.ILoggerFactory?)"/> accepts.</returns>
public delegate ValueTask<IReadOnlyList<BusConfiguration>> CanBusDetector(CancellationToken cancellationToken);
