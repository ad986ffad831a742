using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// NetworkInterface (python-can has no such option) selects where the bus joins and sends: by name, index or address.
/// The kernel's membership table (/proc/net/igmp6) shows which interface joined.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class InterfaceSelectionTests
{
    private static string Veth0 => IPv6Interface ?? "veth0";

    [SkippableFact]
    public void IPv6_ByName_JoinsOnThatInterfaceAndRoundTrips()
    {
        var ni = RequireInterface(Veth0);
        var group = NewGroup(AddressFamily.InterNetworkV6);

        AssertRoundTripAndMembership(group, ni.Name, ni.Name);
    }

    [SkippableFact]
    public void IPv6_ByIndex_JoinsOnThatInterfaceAndRoundTrips()
    {
        var ni = RequireInterface(Veth0);
        var index = ni.GetIPProperties().GetIPv6Properties().Index;

        AssertRoundTripAndMembership(NewGroup(AddressFamily.InterNetworkV6), index.ToString(System.Globalization.CultureInfo.InvariantCulture), ni.Name);
    }

    [SkippableFact]
    public void IPv6_ByAddress_JoinsOnTheInterfaceThatHasItAndRoundTrips()
    {
        var ni = RequireInterface(Veth0);
        var linkLocal = ni.GetIPProperties().UnicastAddresses.Select(u => u.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetworkV6 && a.IsIPv6LinkLocal);
        var text = new IPAddress(linkLocal.GetAddressBytes()).ToString(); // without the %scope

        AssertRoundTripAndMembership(NewGroup(AddressFamily.InterNetworkV6), text, ni.Name);
    }

    [SkippableFact]
    public void IPv6_OtherInterface_JoinsThereAndNotOnTheDefault()
    {
        RequireInterface(Veth0);
        var veth1 = RequireInterface("veth1");
        var group = NewGroup(AddressFamily.InterNetworkV6);

        using var bus = new UdpMulticastBus(Options(group) with { NetworkInterface = veth1.Name });

        Igmp6Groups(veth1.Name).Should().Contain(Hex(group));
        Igmp6Groups(Veth0).Should().NotContain(Hex(group));
    }

    [SkippableFact]
    public void IPv4_LoopbackByName_RoundTrips()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var receiver = new UdpMulticastBus(Options(group) with { NetworkInterface = "lo" });
        using var sender = new UdpMulticastBus(Options(group) with { NetworkInterface = "lo" });

        sender.Send(new CanMessage(0x42, [4, 2]));

        receiver.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x42);
    }

    [SkippableTheory]
    [InlineData("nosuchif0", "no interface has that name")]
    [InlineData("4242", "no interface has index 4242")]
    [InlineData("192.0.2.77", "no interface has the address")]
    [InlineData(" ", "empty")]
    public void UnknownInterface_ThrowsCanInitializationExceptionSayingWhy(string networkInterface, string why)
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var before = SocketCensus.OpenSockets();

        var open = () => new UdpMulticastBus(Options(NewGroup(AddressFamily.InterNetwork)) with { NetworkInterface = networkInterface });

        open.Should().Throw<CanInitializationException>().WithMessage($"*{why}*");
        SocketCensus.OpenSockets().Should().Be(before, "nothing is left half-open");
    }

    private static void AssertRoundTripAndMembership(string group, string networkInterface, string expectedInterfaceName)
    {
        using var receiver = new UdpMulticastBus(Options(group) with { NetworkInterface = networkInterface });
        using var sender = new UdpMulticastBus(Options(group) with { NetworkInterface = networkInterface });

        sender.Send(new CanMessage(0x7E8, [0x03, 0x41, 0x0C]));

        receiver.Receive(TimeSpan.FromSeconds(5))!.Value.Data.ToArray().Should().Equal(0x03, 0x41, 0x0C);
        Igmp6Groups(expectedInterfaceName).Should().Contain(Hex(group), "the kernel lists the membership on the chosen interface");
    }

    private static NetworkInterface RequireInterface(string name)
    {
        RequireMulticast(AddressFamily.InterNetworkV6);
        var ni = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name);
        if (ni is null)
        {
            RequireMulticastFailure($"interface {name} of scripts/in-netns.sh is missing");
        }

        return ni!;
    }

    private static List<string> Igmp6Groups(string interfaceName) =>
        [.. File.ReadLines("/proc/net/igmp6")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(columns => columns.Length >= 3 && columns[1] == interfaceName)
            .Select(columns => columns[2])];

    private static string Hex(string group) => Convert.ToHexStringLower(IPAddress.Parse(group).GetAddressBytes());
}
