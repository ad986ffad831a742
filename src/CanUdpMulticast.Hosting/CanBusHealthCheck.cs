using CanUdpMulticast.Interfaces.UdpMulticast;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CanUdpMulticast.Hosting;

/// <summary>
/// The health of one named bus: <see cref="HealthStatus.Unhealthy"/> when it could not open, is disposed or reports
/// <see cref="CanBusState.Error"/>; <see cref="HealthStatus.Degraded"/> when frames were dropped (a full queue, the
/// kernel's receive buffer) or malformed data arrived since the previous check; otherwise healthy. The data carries the
/// bus's counters (and for UDP multicast the kernel drops).
/// </summary>
/// <remarks>One instance per bus lives as long as the host, so "since the previous check" spans check runs.</remarks>
internal sealed class CanBusHealthCheck(CanBusConnection connection) : IHealthCheck
{
    private readonly Lock _gate = new();
    private long _lastDropped;
    private long _lastMalformed;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failureStatus = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        CanBus bus;
        try
        {
            bus = connection.Bus;
        }
        catch (CanException ex)
        {
            return Task.FromResult(new HealthCheckResult(failureStatus, $"CAN bus '{connection.Name}' could not be opened.", ex));
        }

        if (bus.IsDisposed)
        {
            return Task.FromResult(new HealthCheckResult(failureStatus, $"CAN bus '{connection.Name}' is disposed."));
        }

        var statistics = bus.Statistics;
        var data = new Dictionary<string, object>
        {
            ["bus"] = bus.ChannelInfo,
            ["frames_sent"] = statistics.FramesSent,
            ["frames_received"] = statistics.FramesReceived,
            ["frames_dropped"] = statistics.FramesDropped,
            ["frames_malformed"] = statistics.MalformedFrames,
        };
        if (bus is UdpMulticastBus udp)
        {
            data["kernel_drops"] = udp.MulticastStatistics.KernelDrops;
        }

        if (bus.State == CanBusState.Error)
        {
            return Task.FromResult(new HealthCheckResult(failureStatus, $"CAN bus '{connection.Name}' is in the error state.", data: data));
        }

        long newDrops, newMalformed;
        lock (_gate)
        {
            newDrops = statistics.FramesDropped - _lastDropped;
            newMalformed = statistics.MalformedFrames - _lastMalformed;
            _lastDropped = statistics.FramesDropped;
            _lastMalformed = statistics.MalformedFrames;
        }

        if (newDrops > 0 || newMalformed > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"CAN bus '{connection.Name}': {newDrops} frame(s) dropped and {newMalformed} malformed since the last check.", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"CAN bus '{connection.Name}' is open ({bus.ChannelInfo}).", data));
    }
}
