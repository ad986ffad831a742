using CanUdpMulticast.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Hosting;

/// <summary>
/// Runs a <see cref="Notifier"/> over one named bus while the host runs. Its listeners are the
/// <see cref="ICanListener"/> services registered under the bus's name (keyed services), called in registration order;
/// they are stopped (flushed) when the host stops.
/// </summary>
internal sealed class HostedNotifier(string name, IServiceProvider services, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private Notifier? _notifier;

    /// <summary>The running notifier (for the health check and tests).</summary>
    public Notifier? Notifier => Volatile.Read(ref _notifier);

    public string BusName => name;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var bus = services.GetRequiredKeyedService<CanBus>(name);
        var listeners = services.GetKeyedServices<ICanListener>(name).ToList();
        var logger = loggerFactory.CreateLogger("CanUdpMulticast.Hosting.Notifier." + name);
        Volatile.Write(ref _notifier, new Notifier(bus, listeners, logger));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _notifier, null) is { } notifier)
        {
            await notifier.StopAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _notifier, null) is { } notifier)
        {
            await notifier.DisposeAsync().ConfigureAwait(false);
        }
    }
}
