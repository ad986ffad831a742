// A worker service that records one CAN bus into size-rotated BLF files, configured from appsettings.json.
// Run: dotnet run --project samples/HostedRecorder [-- --Recorder:MaxBytes=65536 --Can:Buses:main:Channel=239.1.2.3]
// Stop with Ctrl+C; files rotate to recordings/can_<time>_#NNN.blf.
using System.Globalization;
using CanUdpMulticast.Hosting;
using CanUdpMulticast.IO;
using HostedRecorder;
using Microsoft.Extensions.Diagnostics.HealthChecks;

var builder = Host.CreateApplicationBuilder(args);
var recorder = builder.Configuration.GetSection("Recorder");
var busName = recorder["Bus"] ?? "main";
var file = recorder["File"] ?? "recordings/can.blf";
var maxBytes = long.Parse(recorder["MaxBytes"] ?? "1048576", CultureInfo.InvariantCulture);

builder.Services
    .AddCanBus(busName, builder.Configuration.GetSection($"Can:Buses:{busName}"))
    .AddNotifier()
    .AddListener(_ =>
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        return new SizedRotatingCanLogWriter(file, maxBytes);
    })
    .AddHealthCheck();
builder.Services.AddHostedService(sp => new StatusReporter(
    busName,
    TimeSpan.Parse(recorder["StatusInterval"] ?? "00:00:05", CultureInfo.InvariantCulture),
    sp.GetRequiredKeyedService<CanUdpMulticast.CanBus>(busName),
    sp.GetRequiredService<HealthCheckService>(),
    sp.GetRequiredService<ILogger<StatusReporter>>()));

await builder.Build().RunAsync();
