using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CanUdpMulticast.Hosting;

/// <summary>
/// Opens every bus added with <c>AddCanBus</c> when the host starts, so a bus that cannot open (a bad option value, no
/// multicast route) stops the start with an error that names the bus, the key, the value and the section.
/// </summary>
internal sealed class CanBusStartup(IServiceProvider services, IEnumerable<CanBusName> names) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            _ = services.GetRequiredKeyedService<CanBusConnection>(name.Value).Bus;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The name of a bus added with <c>AddCanBus</c> (one registration per bus).</summary>
internal sealed record CanBusName(string Value);
