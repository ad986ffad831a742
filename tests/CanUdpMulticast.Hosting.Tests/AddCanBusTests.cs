using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CanUdpMulticast.Hosting.Tests;

public sealed class AddCanBusTests
{
    [Fact]
    public async Task AddCanBus_ConfigurationSection_OpensTheKeyedBusWithItsChannelAndOptions()
    {
        var channel = TestHost.NewChannel();
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Interface"] = "virtual",
            ["Can:Buses:main:Channel"] = channel,
            ["Can:Buses:main:ReceiveOwnMessages"] = "true",
        }, b => b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main")));

        await host.StartAsync();
        var bus = host.Services.GetRequiredKeyedService<CanBus>("main");

        bus.Should().BeOfType<VirtualBus>().Which.Channel.Should().Be(channel);
        bus.Send(new CanMessage(0x123, [1]));
        bus.Receive(TestHost.Timeout).Should().NotBeNull("receive_own_messages came from the section as 'ReceiveOwnMessages'");
        await host.StopAsync();
    }

    [Fact]
    public async Task AddCanBus_Lambda_OpensTheKeyedBusWithFilters()
    {
        var channel = TestHost.NewChannel();
        using var host = TestHost.Build(new Dictionary<string, string?>(), b => b.Services.AddCanBus("main", o =>
        {
            o.Interface = "virtual";
            o.Channel = channel;
            o.Options["receive_own_messages"] = true;
            o.Filters.Add(new CanFilter(0x100, 0x7FF));
        }));

        await host.StartAsync();
        var bus = host.Services.GetRequiredKeyedService<CanBus>("main");
        bus.Send(new CanMessage(0x200, [1]));
        bus.Send(new CanMessage(0x100, [2]));

        bus.Receive(TestHost.Timeout)!.Value.ArbitrationId.Should().Be(0x100u);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddCanBus_FiltersInTheSection_AreApplied()
    {
        var channel = TestHost.NewChannel();
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Interface"] = "virtual",
            ["Can:Buses:main:Channel"] = channel,
            ["Can:Buses:main:Options:receive_own_messages"] = "true",
            ["Can:Buses:main:Filters:0"] = "100:7FF",
        }, b => b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main")));

        await host.StartAsync();
        var bus = host.Services.GetRequiredKeyedService<CanBus>("main");
        bus.Send(new CanMessage(0x200, [1]));
        bus.Send(new CanMessage(0x100, [2]));

        bus.Receive(TestHost.Timeout)!.Value.ArbitrationId.Should().Be(0x100u);
        bus.Filters.Should().Equal(new CanFilter(0x100, 0x7FF));
        await host.StopAsync();
    }

    [Fact]
    public async Task FromKeyedServices_TwoBuses_EachConsumerGetsItsOwn()
    {
        var a = TestHost.NewChannel();
        var b = TestHost.NewChannel();
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:a:Interface"] = "virtual",
            ["Can:Buses:a:Channel"] = a,
            ["Can:Buses:b:Interface"] = "virtual",
            ["Can:Buses:b:Channel"] = b,
        }, builder =>
        {
            builder.Services.AddCanBus("a", builder.Configuration.GetSection("Can:Buses:a"));
            builder.Services.AddCanBus("b", builder.Configuration.GetSection("Can:Buses:b"));
            builder.Services.AddSingleton<Gateway>();
        });

        await host.StartAsync();
        var gateway = host.Services.GetRequiredService<Gateway>();

        ((VirtualBus)gateway.Left).Channel.Should().Be(a);
        ((VirtualBus)gateway.Right).Channel.Should().Be(b);
        gateway.Left.Should().BeSameAs(host.Services.GetRequiredKeyedService<CanBus>("a"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Host_Disposed_DisposesTheBus()
    {
        var host = TestHost.Build(new Dictionary<string, string?>(), b => b.Services.AddCanBus("main", o =>
        {
            o.Interface = "virtual";
            o.Channel = TestHost.NewChannel();
        }));
        await host.StartAsync();
        var bus = host.Services.GetRequiredKeyedService<CanBus>("main");

        await host.StopAsync();
        host.Dispose();

        bus.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public async Task AddCanBus_InterfaceRegisteredAsAPlugin_IsOpenedThroughTheRegistryService()
    {
        var registry = new CanInterfaceRegistry();
        BusConfiguration? seen = null;
        string? speed = null;
        registry.Register("my_plugin", (config, _) =>
        {
            seen = config;
            speed = config.GetString("speed"); // a factory reads its options through the getters (unread keys are unknown)
            return new VirtualBus(new VirtualBusOptions { Channel = config.Channel ?? "plugin" });
        });
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Interface"] = "my_plugin",
            ["Can:Buses:main:Channel"] = "plug-1",
            ["Can:Buses:main:Speed"] = "fast",
        }, b =>
        {
            b.Services.AddSingleton(registry);
            b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main"));
        });

        await host.StartAsync();

        host.Services.GetRequiredKeyedService<CanBus>("main").Should().BeOfType<VirtualBus>().Which.Channel.Should().Be("plug-1");
        speed.Should().Be("fast");
        seen!.SourceOf("speed").Should().Contain("Can:Buses:main:Speed");
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_MisspeltOptionKey_FailsNamingTheClosestValidKey()
    {
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Interface"] = "virtual",
            ["Can:Buses:main:ReceiveOwnMesages"] = "true",
        }, b => b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main")));

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<CanInitializationException>()).Which.Message
            .Should().Contain("ReceiveOwnMesages").And.Contain("receive_own_messages").And.Contain("Can:Buses:main");
    }

    [Fact]
    public async Task Start_UnknownInterface_FailsNamingTheKeyTheValueAndTheSection()
    {
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Interface"] = "udp_multicst",
        }, b => b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main")));

        var start = () => host.StartAsync();

        var error = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        error.Message.Should().Contain("'Interface'").And.Contain("'udp_multicst'").And.Contain("Can:Buses:main")
            .And.Contain("udp_multicast", "the known interfaces are listed");
    }

    [Fact]
    public async Task Start_MissingInterface_FailsNamingTheSection()
    {
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Channel"] = "x",
        }, b => b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main")));

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("'Interface' is missing").And.Contain("Can:Buses:main");
    }

    [Fact]
    public async Task Start_FilterThatDoesNotParse_FailsNamingTheValueAndItsPath()
    {
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Interface"] = "virtual",
            ["Can:Buses:main:Filters:0"] = "12G:7FF",
        }, b => b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main")));

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("'Filters'").And.Contain("'12G:7FF'").And.Contain("Can:Buses:main:Filters:0");
    }

    [Fact]
    public async Task Start_OptionValueTheBackendRejects_FailsNamingTheKeyTheValueAndTheSection()
    {
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Interface"] = "virtual",
            ["Can:Buses:main:rx_queue_size"] = "lots",
        }, b => b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main")));

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<CanInitializationException>()).Which.Message
            .Should().Contain("CAN bus 'main'").And.Contain("rx_queue_size").And.Contain("'lots'").And.Contain("Can:Buses:main:rx_queue_size");
    }

    private sealed class Gateway([FromKeyedServices("a")] CanBus left, [FromKeyedServices("b")] CanBus right)
    {
        public CanBus Left => left;

        public CanBus Right => right;
    }
}
