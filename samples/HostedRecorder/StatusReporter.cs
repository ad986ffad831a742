using CanUdpMulticast;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HostedRecorder;

/// <summary>Logs the bus's counters and health every <c>Recorder:StatusInterval</c>, and once more when the host stops.</summary>
internal sealed partial class StatusReporter(string busName, TimeSpan interval, CanBus bus, HealthCheckService health, ILogger<StatusReporter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReportAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await ReportAsync(cancellationToken);
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var s = bus.Statistics;
        Status(logger, busName, report.Status, s.FramesReceived, s.FramesDropped, s.MalformedFrames);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Bus {Bus}: {Health}, {Received} frames recorded, {Dropped} dropped, {Malformed} malformed")]
    private static partial void Status(ILogger logger, string bus, HealthStatus health, long received, long dropped, long malformed);
}
