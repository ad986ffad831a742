using System.Diagnostics.CodeAnalysis;
using CanUdpMulticast.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Hosting;

/// <summary>Adds a hosted notifier, its listeners and a health check to one named bus (returned by <c>AddCanBus</c>).</summary>
public sealed class CanBusBuilder
{
    internal CanBusBuilder(string name, IServiceCollection services)
    {
        Name = name;
        Services = services;
    }

    /// <summary>The bus's name: its service key and options name.</summary>
    public string Name { get; }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Runs a <see cref="Notifier"/> over this bus while the host runs. Its listeners are the <see cref="ICanListener"/>
    /// services registered with this bus's name as key (see <see cref="AddListener{TListener}()"/>), in registration order.
    /// </summary>
    /// <returns>This builder.</returns>
    public CanBusBuilder AddNotifier()
    {
        var name = Name;
        Services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp =>
            new HostedNotifier(name, sp, sp.GetRequiredService<ILoggerFactory>()));
        return this;
    }

    /// <summary>Registers a listener of this bus's notifier as a keyed singleton (created by the container).</summary>
    /// <typeparam name="TListener">The listener type.</typeparam>
    /// <returns>This builder.</returns>
    public CanBusBuilder AddListener<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TListener>()
        where TListener : class, ICanListener
    {
        Services.AddKeyedSingleton<ICanListener, TListener>(Name);
        return this;
    }

    /// <summary>Registers a listener of this bus's notifier made by a factory (e.g. a log writer built from options).</summary>
    /// <param name="factory">Creates the listener.</param>
    /// <returns>This builder.</returns>
    public CanBusBuilder AddListener(Func<IServiceProvider, ICanListener> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddKeyedSingleton(Name, (sp, _) => factory(sp));
        return this;
    }

    /// <summary>Adds this bus's health check (see <see cref="CanBusHealthChecksBuilderExtensions.AddCanBus"/>).</summary>
    /// <param name="checkName">The check's name; <c>can-bus-{name}</c> by default.</param>
    /// <param name="failureStatus">What a failure reports; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags of the check.</param>
    /// <returns>This builder.</returns>
    public CanBusBuilder AddHealthCheck(string? checkName = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        Services.AddHealthChecks().AddCanBus(Name, checkName, failureStatus, tags);
        return this;
    }
}
