// Exports the library's metrics (docs/metrics.md) with OpenTelemetry's console exporter: two virtual buses talk, one
// sends a periodic frame, and every second the counters and histograms are printed.
// Run: dotnet run --project samples/MetricsExport [-- seconds]
using CanUdpMulticast;
using CanUdpMulticast.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

var seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;

using var meterProvider = Sdk.CreateMeterProviderBuilder()
    .AddMeter(CanMetrics.MeterName)
    .AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 1000)
    .Build();

using var sender = CanBus.Create("virtual", "metrics-demo", ignoreConfig: true);
using var receiver = CanBus.Create("virtual", "metrics-demo", ignoreConfig: true);
receiver.SetFilters([new CanFilter(0x100, 0x700)]); // frames 0x100-0x1FF pass; the rest count as filtered

using var periodic = sender.SendPeriodic(new CanMessage(0x123, [1, 2, 3]), TimeSpan.FromMilliseconds(10));
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
var received = 0;
try
{
    await foreach (var _ in receiver.ReadAllAsync(stop.Token))
    {
        received++;
        if (received % 10 == 0)
        {
            sender.Send(new CanMessage(0x555, [0xFF])); // filtered out by the receiver
        }
    }
}
catch (OperationCanceledException)
{
}

periodic.Stop();
Console.WriteLine($"received {received} frames; final export follows");
meterProvider.ForceFlush();
