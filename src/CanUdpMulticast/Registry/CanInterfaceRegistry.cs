using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CanUdpMulticast.Registry;

/// <summary>
/// Interfaces by name (python-can's <c>BACKENDS</c>): each name has a factory that opens a bus from a
/// <see cref="BusConfiguration"/> and, optionally, a detector. The built-in interfaces are registered
/// explicitly (no assembly scanning, so it is trimming- and AOT-safe) in one place; plugins add theirs with
/// <see cref="Register"/>:
/// <code>
/// CanInterfaceRegistry.Default.Register("mybus", (config, loggerFactory) => new MyBus(config.Channel, config.GetInt32("speed", 10), loggerFactory.CreateLogger&lt;MyBus&gt;()));
/// using var bus = CanBus.Create("mybus", "ch0", loggerFactory: loggerFactory);
/// </code>
/// </summary>
/// <remarks>All members are thread-safe.</remarks>
public sealed partial class CanInterfaceRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Registration> _interfaces = new(StringComparer.Ordinal);

    /// <summary>Creates a registry.</summary>
    /// <param name="includeBuiltIns">Whether to register the built-in interfaces (<c>"virtual"</c>, <c>"udp_multicast"</c>).</param>
    public CanInterfaceRegistry(bool includeBuiltIns = true)
    {
        if (includeBuiltIns)
        {
            BuiltInInterfaces.RegisterAll(this);
        }
    }

    /// <summary>A sensible limit for <see cref="DetectAvailableConfigsAsync"/> when a detector might hang: 5 s.</summary>
    public static readonly TimeSpan DefaultDetectionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The registry that <see cref="CanBus.Create(string?, string?, IReadOnlyDictionary{string, object?}?, string?, bool, Microsoft.Extensions.Logging.ILoggerFactory?)"/> uses.</summary>
    public static CanInterfaceRegistry Default { get; } = new();

    /// <summary>The registered interface names, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
            {
                return [.. _interfaces.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>
    /// Registers an interface. A name that exists already is replaced, as a python-can plugin overrides a
    /// built-in of the same name.
    /// </summary>
    /// <param name="name">The interface name (case-sensitive, as in python-can).</param>
    /// <param name="factory">Opens a bus from a configuration, logging through the logger factory it is given; throws
    /// <see cref="CanInitializationException"/> for bad options.</param>
    /// <param name="detector">Optional probe for <see cref="DetectAvailableConfigsAsync"/>.</param>
    public void Register(string name, CanBusFactory factory, CanBusDetector? detector = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        lock (_gate)
        {
            _interfaces[name] = new Registration(factory, detector);
        }
    }

    /// <summary>Removes an interface.</summary>
    /// <param name="name">The interface name.</param>
    /// <returns>Whether it was registered.</returns>
    public bool Unregister(string name)
    {
        lock (_gate)
        {
            return _interfaces.Remove(name);
        }
    }

    /// <summary>Whether an interface is registered.</summary>
    /// <param name="name">The interface name.</param>
    /// <returns>Whether it is registered.</returns>
    public bool Contains(string name)
    {
        lock (_gate)
        {
            return _interfaces.ContainsKey(name);
        }
    }

    /// <summary>Opens a bus exactly as configured (no environment or file is read).</summary>
    /// <param name="configuration">The configuration; <see cref="BusConfiguration.Interface"/> is required.</param>
    /// <param name="loggerFactory">Where the bus and the registry log; <see langword="null"/> for nowhere.</param>
    /// <returns>The open bus.</returns>
    /// <exception cref="CanInterfaceNotImplementedException">The interface is missing or unknown; the message lists the known ones.</exception>
    /// <exception cref="CanConfigurationException">An option given in code is unknown to the interface (the message names the
    /// closest valid key) or has a bad value, or <c>can_filters</c> cannot be read. Unknown options from the environment
    /// or a config file are logged as warnings instead.</exception>
    /// <exception cref="CanInitializationException">The backend could not open.</exception>
    public CanBus Create(BusConfiguration configuration, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        loggerFactory ??= NullLoggerFactory.Instance;
        var registration = Find(configuration.Interface);
        if (configuration.Contains("can_filters"))
        {
            // python-can's can_filters keyword given as an option (e.g. with ignoreConfig): apply it, on a copy.
            configuration = configuration.Clone();
            BusConfigurationLoader.ExtractFilters(configuration);
        }

        var bus = registration.Factory(configuration, loggerFactory);
        bus.SetMetricIdentity(configuration.Interface!, configuration.Channel);
        try
        {
            // A no-op when the factory checked before opening (the built-ins do).
            configuration.CheckUnusedOptions(loggerFactory.CreateLogger<CanInterfaceRegistry>());
            if (configuration.Filters is { Count: > 0 } filters)
            {
                bus.SetFilters(filters);
            }
        }
        catch
        {
            bus.Dispose();
            throw;
        }

        return bus;
    }

    /// <summary>
    /// Runs the detectors of the given interfaces (all by default) in parallel and returns every configuration
    /// that works here. A detector that fails or runs out of time is logged and left out; it never fails the call.
    /// </summary>
    /// <param name="interfaces">Interface names to probe; <see langword="null"/> for all. Unknown names are skipped.</param>
    /// <param name="timeout">The time all detectors get together; <see langword="null"/> waits for every detector, as
    /// python-can does (<see cref="DefaultDetectionTimeout"/> is the limit the <c>canudp detect</c> tool uses).</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="cancellationToken">Cancels the whole detection.</param>
    /// <returns>The configurations, each with <see cref="BusConfiguration.Interface"/> set.</returns>
    public async Task<IReadOnlyList<BusConfiguration>> DetectAvailableConfigsAsync(
        IEnumerable<string>? interfaces = null,
        TimeSpan? timeout = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        List<(string Name, CanBusDetector Detector)> detectors = [];
        lock (_gate)
        {
            foreach (var name in interfaces ?? _interfaces.Keys.Order(StringComparer.Ordinal).ToList())
            {
                if (_interfaces.TryGetValue(name, out var registration) && registration.Detector is { } detector)
                {
                    detectors.Add((name, detector));
                }
            }
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit && limit != Timeout.InfiniteTimeSpan)
        {
            timeoutSource.CancelAfter(limit);
        }
        var runs = detectors.Select(d => RunDetectorAsync(d.Name, d.Detector, logger, timeoutSource.Token)).ToArray();
        var results = await Task.WhenAll(runs).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return [.. results.SelectMany(r => r)];
    }

    private static async Task<IReadOnlyList<BusConfiguration>> RunDetectorAsync(string name, CanBusDetector detector, ILogger logger, CancellationToken token)
    {
        try
        {
            // Task.Run: a detector that blocks synchronously must not hold up the others.
            var configs = await Task.Run(async () => await detector(token).ConfigureAwait(false), token)
                .WaitAsync(token).ConfigureAwait(false);
            foreach (var config in configs)
            {
                config.Interface ??= name;
            }

            return configs;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Log.DetectorTimedOut(logger, name);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.DetectorFailed(logger, name, ex);
        }

        return [];
    }

    private Registration Find(string? name)
    {
        lock (_gate)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new CanInterfaceNotImplementedException(
                    $"No CAN interface was given (in code, CAN_INTERFACE or a config file). Known interfaces: {string.Join(", ", _interfaces.Keys.Order(StringComparer.Ordinal))}.");
            }

            if (!_interfaces.TryGetValue(name, out var registration))
            {
                throw new CanInterfaceNotImplementedException(
                    $"CAN interface '{name}' is not supported. Known interfaces: {string.Join(", ", _interfaces.Keys.Order(StringComparer.Ordinal))}.");
            }

            return registration;
        }
    }

    private sealed record Registration(CanBusFactory Factory, CanBusDetector? Detector);

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Detection of CAN interface '{Interface}' timed out; it is left out")]
        public static partial void DetectorTimedOut(ILogger logger, string @interface);

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Detection of CAN interface '{Interface}' failed; it is left out")]
        public static partial void DetectorFailed(ILogger logger, string @interface, Exception exception);
    }
}
