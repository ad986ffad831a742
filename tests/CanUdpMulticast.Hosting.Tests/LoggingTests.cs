using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CanUdpMulticast.Hosting.Tests;

/// <summary>The host's <see cref="ILoggerFactory"/> reaches every bus opened through the hosting package.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task AddCanBus_PluginInterface_GetsTheHostsLoggerFactory()
    {
        var registry = new CanInterfaceRegistry();
        registry.Register("logging_plugin", (config, loggerFactory) =>
        {
#pragma warning disable CA1873 // a test log call
            loggerFactory.CreateLogger("Plugin").LogInformation("opening {Channel}", config.Channel);
#pragma warning restore CA1873
            return new VirtualBus(new VirtualBusOptions { Channel = config.Channel ?? "plugin" });
        });
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Interface"] = "logging_plugin",
            ["Can:Buses:main:Channel"] = "logged-1",
        }, b =>
        {
            b.Logging.AddFakeLogging();
            b.Services.AddSingleton(registry);
            b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main"));
        });

        await host.StartAsync();

        host.Services.GetFakeLogCollector().GetSnapshot()
            .Should().Contain(r => r.Category == "Plugin" && r.Message == "opening logged-1");
        await host.StopAsync();
    }

    [SkippableFact]
    public async Task AddCanBus_UdpMulticast_LogsThroughTheHostsLoggerFactory()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("CANUDP_NETNS") == "1", "needs the private network namespace of scripts/test.sh");
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Interface"] = "udp_multicast",
            ["Can:Buses:main:Channel"] = "239.78.2." + Random.Shared.Next(1, 250),
            ["Can:Buses:main:Port"] = "43172",
            ["Can:Buses:main:HopLimit"] = "0",
        }, b =>
        {
            b.Logging.AddFakeLogging().SetMinimumLevel(LogLevel.Debug);
            b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main"));
        });

        await host.StartAsync();

        host.Services.GetFakeLogCollector().GetSnapshot().Should().Contain(r =>
            r.Category == "CanUdpMulticast.Interfaces.UdpMulticast.UdpMulticastBus" && r.Id.Id == 300,
            "the bus logs its opening (event 300) through the host's logger factory");
        await host.StopAsync();
    }
}
