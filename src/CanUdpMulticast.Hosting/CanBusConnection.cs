using CanUdpMulticast.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CanUdpMulticast.Hosting;

/// <summary>
/// Opens one named bus through the interface registry, once, with the host's <see cref="ILoggerFactory"/>, and owns it
/// (the container disposes this singleton, which disposes the bus).
/// </summary>
internal sealed class CanBusConnection(
    string name,
    IOptionsMonitor<CanBusOptions> options,
    CanInterfaceRegistry registry,
    ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private CanBus? _bus;
    private Exception? _openError;

    public string Name => name;

    /// <summary>The open bus; opens it on first use.</summary>
    /// <exception cref="CanInitializationException">The bus could not open; the message names the bus and its section.</exception>
    public CanBus Bus
    {
        get
        {
            lock (_gate)
            {
                if (_bus is not null)
                {
                    return _bus;
                }

                var config = ToConfiguration(options.Get(name));
                try
                {
                    _bus = Open(config);
                    return _bus;
                }
                catch (CanException ex)
                {
                    var section = options.Get(name).SectionPath is { } path ? $" (configuration section '{path}')" : string.Empty;
                    _openError = new CanInitializationException($"CAN bus '{name}'{section} could not be opened: {ex.Message}", ex);
                    throw _openError;
                }
            }
        }
    }

    /// <summary>Why the bus did not open, if it did not.</summary>
    public Exception? OpenError
    {
        get
        {
            lock (_gate)
            {
                return _openError;
            }
        }
    }

    /// <summary>The bus if it is open (never opens it).</summary>
    public CanBus? OpenBus
    {
        get
        {
            lock (_gate)
            {
                return _bus;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        CanBus? bus;
        lock (_gate)
        {
            bus = _bus;
        }

        if (bus is not null)
        {
            await bus.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The host's logger factory reaches the bus through the registry (the built-ins and plugins get it in their factory).
    private CanBus Open(BusConfiguration config) => registry.Create(config, loggerFactory);

    private static BusConfiguration ToConfiguration(CanBusOptions options)
    {
        var config = new BusConfiguration(options.Interface, options.Channel)
        {
            InterfaceSource = options.SourceOf("Interface"),
            ChannelSource = options.SourceOf("Channel"),
        };
        foreach (var (key, value) in options.Options)
        {
            config.Set(key, value, options.SourceOf(key));
        }

        if (options.Filters.Count > 0)
        {
            config.Filters = [.. options.Filters];
        }

        return config;
    }
}
