using System.Net;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using CanUdpMulticast.Registry;
using CanUdpMulticast.Testing;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>"udp_multicast" in the registry: python-can's keyword names, and a detector that really joins.</summary>
[Collection(NetworkTestGroup.Name)]
public sealed class RegistryAndDetectionTests
{
    [SkippableFact]
    public void Create_ByName_MapsPythonCanAndOwnKeywords()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);

        using var bus = CanBus.Create("udp_multicast", group, new Dictionary<string, object?>
        {
            ["port"] = TestPort,
            ["hop_limit"] = "0",
            ["fd"] = "false",
            ["receive_own_messages"] = true,
            ["network_interface"] = "lo",
            ["receive_buffer_size"] = 65536,
            ["isolate_group"] = "no",
            ["timestamp_source"] = "software",
            ["filter_own_echoes_in_kernel"] = "false",
            ["bitrate"] = 500000, // python-can ignores it for this interface, and so do we
        }, ignoreConfig: true);

        var udp = bus.Should().BeOfType<UdpMulticastBus>().Subject;
        udp.Group.Should().Be(IPAddress.Parse(group));
        udp.Options.Should().BeEquivalentTo(new UdpMulticastBusOptions
        {
            Channel = group,
            Port = TestPort,
            HopLimit = 0,
            Fd = false,
            ReceiveOwnMessages = true,
            NetworkInterface = "lo",
            ReceiveBufferSize = 65536,
            IsolateGroup = false,
            TimestampSource = UdpMulticastTimestampSource.Software,
            FilterOwnEchoesInKernel = false,
        }, o => o.Excluding(x => x.Logger));
        udp.MulticastStatistics.KernelTimestamps.Should().BeFalse();
        bus.Protocol.Should().Be(CanProtocol.Can20);
        bus.ChannelInfo.Should().Be($"UDP multicast group {group}:{TestPort}");
    }

    [SkippableFact]
    public void Create_ByNameWithLoggerFactory_TheBusLogs()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var logger = new CollectingLogger();
        using var factory = new SingleLoggerFactory(logger);

        CanBus.Create("udp_multicast", NewGroup(AddressFamily.InterNetwork), new Dictionary<string, object?> { ["port"] = TestPort, ["hop_limit"] = 0 },
            ignoreConfig: true, loggerFactory: factory).Dispose();

        logger.WithId(300).Should().ContainSingle("the bus opened by name logs its opening through the caller's factory");
        logger.WithId(301).Should().ContainSingle();
        factory.Categories.Should().Contain(typeof(UdpMulticastBus).FullName);
    }

    [SkippableFact]
    public void Create_IPv6OnLoopbackInterface_FailsAtOpenNotAtSend()
    {
        RequireMulticast(AddressFamily.InterNetworkV6);

        // Linux's "lo" has no IPv6 multicast route: the kernel refuses to send there ("Network is unreachable").
        FluentActions.Invoking(() => CanBus.Create("udp_multicast", NewGroup(AddressFamily.InterNetworkV6),
                new Dictionary<string, object?> { ["port"] = TestPort, ["hop_limit"] = 0, ["network_interface"] = "lo" }, ignoreConfig: true))
            .Should().Throw<CanInitializationException>().WithMessage("*lo*");
    }

    [SkippableFact]
    public void Create_MisspeltOption_FailsBeforeAnySocketOpens()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var listener = new UdpMulticastBus(Options(group));

        FluentActions.Invoking(() => CanBus.Create("udp_multicast", group, new Dictionary<string, object?> { ["port"] = TestPort, ["hop_limt"] = 0 }, ignoreConfig: true))
            .Should().Throw<CanConfigurationException>().WithMessage("*'hop_limt'*did you mean 'hop_limit'*");
    }

    [SkippableFact]
    public void Create_WithoutChannel_UsesPythonCansIPv6Group()
    {
        RequireMulticast(AddressFamily.InterNetworkV6);

        using var bus = CanBus.Create("udp_multicast", options: new Dictionary<string, object?> { ["port"] = TestPort, ["hop_limit"] = 0 }, ignoreConfig: true);

        ((UdpMulticastBus)bus).Group.Should().Be(IPAddress.Parse("ff15:7079:7468:6f6e:6465:6d6f:6d63:6173"));
    }

    [SkippableFact]
    public void Create_ByName_BusesTalkToEachOther()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        var options = new Dictionary<string, object?> { ["port"] = TestPort, ["hop_limit"] = 0 };
        using var a = CanBus.Create("udp_multicast", group, options, ignoreConfig: true);
        using var b = CanBus.Create("udp_multicast", group, options, ignoreConfig: true);

        a.Send(new CanMessage(0x5A, [0x5A]));

        b.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x5A);
    }

    [SkippableFact]
    public async Task DetectAvailableConfigs_HereBothDefaultGroupsJoin_ReturnsBoth()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        RequireMulticast(AddressFamily.InterNetworkV6);

        var configs = await CanBus.DetectAvailableConfigsAsync(["udp_multicast"]);

        configs.Select(c => (c.Interface, c.Channel)).Should().BeEquivalentTo(
        [
            ("udp_multicast", UdpMulticastBusOptions.DefaultGroupIPv6),
            ("udp_multicast", UdpMulticastBusOptions.DefaultGroupIPv4),
        ]);
        foreach (var config in configs)
        {
            config.Set("port", TestPort);
            config.Set("hop_limit", 0);
            using var bus = CanBus.Create(config);
            bus.Should().BeOfType<UdpMulticastBus>("every detected configuration opens");
        }
    }

    [SkippableFact]
    public void ProbeGroup_InANamespaceWithoutMulticastRoutes_FailsForBothGroups()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        using var empty = NetworkNamespace.Create();

        var results = empty.Invoke(() => (
            V6: UdpMulticastBus.ProbeGroup(UdpMulticastBusOptions.DefaultGroupIPv6),
            V4: UdpMulticastBus.ProbeGroup(UdpMulticastBusOptions.DefaultGroupIPv4)));

        results.Should().Be((false, false), "a host with only a down loopback cannot join any group");
        UdpMulticastBus.ProbeGroup(UdpMulticastBusOptions.DefaultGroupIPv4).Should().BeTrue("the test namespace can");
    }
}
