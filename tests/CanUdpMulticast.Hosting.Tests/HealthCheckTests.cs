using CanUdpMulticast.Interfaces.Virtual;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CanUdpMulticast.Hosting.Tests;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task HealthCheck_OpenBus_IsHealthyWithItsCounters()
    {
        using var host = TestHost.Build(new Dictionary<string, string?>(), b => b.Services
            .AddCanBus("main", o => { o.Interface = "virtual"; o.Channel = TestHost.NewChannel(); })
            .AddHealthCheck());
        await host.StartAsync();
        host.Services.GetRequiredKeyedService<CanBus>("main").Send(new CanMessage(0x1, [1]));

        var entry = (await Check(host)).Entries["can-bus-main"];

        entry.Status.Should().Be(HealthStatus.Healthy);
        entry.Data["frames_sent"].Should().Be(1L);
        await host.StopAsync();
    }

    [Fact]
    public async Task HealthCheck_FramesDroppedSinceTheLastCheck_IsDegradedThenHealthyAgain()
    {
        var channel = TestHost.NewChannel();
        using var host = TestHost.Build(new Dictionary<string, string?>(), b =>
        {
            b.Services.AddCanBus("main", o =>
            {
                o.Interface = "virtual";
                o.Channel = channel;
                o.Options["rx_queue_size"] = 2;
            });
            b.Services.AddHealthChecks().AddCanBus("main", "can");
        });
        await host.StartAsync();
        (await Check(host)).Entries["can"].Status.Should().Be(HealthStatus.Healthy);
        using var peer = new VirtualBus(new VirtualBusOptions { Channel = channel });

        for (var i = 0; i < 5; i++)
        {
            peer.Send(new CanMessage(0x1, [1])); // nobody reads: 3 of 5 overflow the 2-frame queue
        }

        var degraded = (await Check(host)).Entries["can"];
        var again = (await Check(host)).Entries["can"];

        degraded.Status.Should().Be(HealthStatus.Degraded);
        degraded.Description.Should().Contain("3 frame(s) dropped");
        again.Status.Should().Be(HealthStatus.Healthy, "nothing more was dropped since the previous check");
        await host.StopAsync();
    }

    [Fact]
    public async Task HealthCheck_DisposedBus_IsUnhealthy()
    {
        using var host = TestHost.Build(new Dictionary<string, string?>(), b => b.Services
            .AddCanBus("main", o => { o.Interface = "virtual"; o.Channel = TestHost.NewChannel(); })
            .AddHealthCheck());
        await host.StartAsync();

        await host.Services.GetRequiredKeyedService<CanBus>("main").DisposeAsync();
        var entry = (await Check(host)).Entries["can-bus-main"];

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain("disposed");
        await host.StopAsync();
    }

    [Fact]
    public async Task HealthCheck_BusThatCannotOpen_IsUnhealthyWithTheError()
    {
        // Not started: the health check is the first to open the bus, and the backend rejects the option value.
        using var host = TestHost.Build(new Dictionary<string, string?>(), b => b.Services
            .AddCanBus("main", o => { o.Interface = "virtual"; o.Options["rx_queue_size"] = "lots"; })
            .AddHealthCheck());

        var entry = (await Check(host)).Entries["can-bus-main"];

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Exception.Should().BeOfType<CanInitializationException>().Which.Message.Should().Contain("rx_queue_size");
    }

    private static Task<HealthReport> Check(Microsoft.Extensions.Hosting.IHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
}
