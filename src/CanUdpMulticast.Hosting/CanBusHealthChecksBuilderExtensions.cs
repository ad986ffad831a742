using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CanUdpMulticast.Hosting;

/// <summary>Registers the health check of a bus added with <c>AddCanBus</c>.</summary>
public static class CanBusHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the health check of the bus named <paramref name="busName"/>: unhealthy when it could not open, is disposed
    /// or in the error state; degraded while frames are dropped or malformed data arrives (counted since the previous check).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="busName">The name given to <c>AddCanBus</c>.</param>
    /// <param name="checkName">The check's name; <c>can-bus-{busName}</c> by default.</param>
    /// <param name="failureStatus">What a failure reports; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags of the check.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddCanBus(
        this IHealthChecksBuilder builder, string busName, string? checkName = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(busName);
        builder.Services.AddKeyedSingleton(busName, (sp, _) => new CanBusHealthCheck(sp.GetRequiredKeyedService<CanBusConnection>(busName)));
        return builder.Add(new HealthCheckRegistration(
            checkName ?? "can-bus-" + busName,
            sp => sp.GetRequiredKeyedService<CanBusHealthCheck>(busName),
            failureStatus,
            tags));
    }
}
