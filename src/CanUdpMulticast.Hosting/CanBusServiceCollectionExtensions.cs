using CanUdpMulticast;
using CanUdpMulticast.Registry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using CanUdpMulticast.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds named CAN buses to a service collection.</summary>
public static class CanBusServiceCollectionExtensions
{
    /// <summary>
    /// Adds a bus configured by a configuration section, e.g. <c>configuration.GetSection("Can:Buses:main")</c> holding
    /// <c>Interface</c>, <c>Channel</c>, <c>Filters</c> and backend options. The bus is a keyed singleton
    /// (<c>[FromKeyedServices("main")] CanBus</c>), opened through the interface registry (a <see cref="CanInterfaceRegistry"/>
    /// service if there is one, else <see cref="CanInterfaceRegistry.Default"/>) with the host's <see cref="ILoggerFactory"/>,
    /// validated and opened when the host starts, and disposed with the container.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The bus's name (its service key and options name).</param>
    /// <param name="configuration">The bus's configuration section.</param>
    /// <returns>A builder to add a hosted notifier, listeners and a health check.</returns>
    public static CanBusBuilder AddCanBus(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddCanBus(name);
        services.AddSingleton<IConfigureOptions<CanBusOptions>>(new ConfigureNamedOptions<CanBusOptions>(name, options => CanBusConfigurationBinder.Bind(configuration, options)));
        return builder;
    }

    /// <summary>Adds a bus configured in code (see <see cref="AddCanBus(IServiceCollection, string, IConfiguration)"/>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The bus's name (its service key and options name).</param>
    /// <param name="configure">Sets the interface, channel, options and filters.</param>
    /// <returns>A builder to add a hosted notifier, listeners and a health check.</returns>
    public static CanBusBuilder AddCanBus(this IServiceCollection services, string name, Action<CanBusOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddCanBus(name);
        services.Configure(name, configure);
        return builder;
    }

    private static CanBusBuilder AddCanBus(this IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (services.Any(d => d.ServiceType == typeof(CanBusName) && d.ImplementationInstance is CanBusName existing && existing.Value == name))
        {
            // A second call for one name adds configuration (e.g. code on top of a section), not a second bus.
            return new CanBusBuilder(name, services);
        }

        services.AddOptions<CanBusOptions>(name).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CanBusOptions>>(sp => new CanBusOptionsValidator(name, Registry(sp)));
        services.AddSingleton(new CanBusName(name));
        services.AddKeyedSingleton(name, (sp, _) => new CanBusConnection(
            name,
            sp.GetRequiredService<IOptionsMonitor<CanBusOptions>>(),
            Registry(sp),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));

        // The connection opens the bus once; the container disposes both (disposal of a bus is idempotent).
        services.AddKeyedSingleton<CanBus>(name, (sp, _) => sp.GetRequiredKeyedService<CanBusConnection>(name).Bus);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, CanBusStartup>());
        return new CanBusBuilder(name, services);
    }

    private static CanInterfaceRegistry Registry(IServiceProvider services) =>
        services.GetService<CanInterfaceRegistry>() ?? CanInterfaceRegistry.Default;
}
