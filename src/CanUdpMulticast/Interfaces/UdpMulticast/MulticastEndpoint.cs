using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>The validated, resolved addressing of a bus: group, port, hop limit and interface.</summary>
/// <param name="Group">The multicast group.</param>
/// <param name="Port">The UDP port.</param>
/// <param name="HopLimit">The IPv4 TTL / IPv6 hop limit, 0..255.</param>
/// <param name="InterfaceIndex">The network interface index, 0 for the OS choice.</param>
/// <param name="InterfaceDescription">The interface as the user named it, for messages.</param>
internal sealed record MulticastEndpoint(IPAddress Group, int Port, int HopLimit, int InterfaceIndex, string InterfaceDescription)
{
    /// <summary>The address family of the group.</summary>
    public AddressFamily Family => Group.AddressFamily;

    /// <summary>Whether the group is IPv6.</summary>
    public bool IsIPv6 => Group.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>Validates the options and resolves the interface.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="CanConfigurationException">An option is invalid or the interface does not exist; the message says which and why.</exception>
    public static MulticastEndpoint Resolve(UdpMulticastBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var group = ParseGroup(options.Channel);
        if (options.Port is < 1 or > 65535)
        {
            throw new CanConfigurationException($"The UDP port must be from 1 to 65535, not {options.Port}.", "port");
        }

        if (options.HopLimit is < 0 or > 255)
        {
            throw new CanConfigurationException(
                $"The hop limit (IPv4 TTL / IPv6 hops) must be from 0 to 255, not {options.HopLimit}: 0 keeps frames on this host, 1 on the local link.", "hop_limit");
        }

        if (options.ReceiveBufferSize <= 0)
        {
            throw new CanConfigurationException($"ReceiveBufferSize must be a positive number of bytes, not {options.ReceiveBufferSize}.", "receive_buffer_size");
        }


        if (!Enum.IsDefined(options.TimestampSource))
        {
            throw new CanConfigurationException($"TimestampSource {options.TimestampSource} is not one of {string.Join(", ", Enum.GetNames<UdpMulticastTimestampSource>())}.", "timestamp_source");
        }

        var index = NetworkInterfaceResolver.Resolve(options.NetworkInterface);
        return new MulticastEndpoint(group, options.Port, options.HopLimit, index, options.NetworkInterface ?? "(OS choice)");
    }

    /// <summary>Parses a group address and checks that it is multicast.</summary>
    /// <param name="channel">The text.</param>
    /// <returns>The group.</returns>
    /// <exception cref="CanConfigurationException">The text is not a multicast address literal.</exception>
    public static IPAddress ParseGroup(string? channel)
    {
        if (string.IsNullOrWhiteSpace(channel))
        {
            throw new CanConfigurationException(
                $"A UDP multicast bus needs a multicast group as channel, e.g. {UdpMulticastBusOptions.DefaultGroupIPv4} or {UdpMulticastBusOptions.DefaultGroupIPv6}.", "channel");
        }

        if (!IPAddress.TryParse(channel.Trim(), out var group))
        {
            throw new CanConfigurationException(
                $"The channel '{channel}' is not an IP address: a UDP multicast bus needs a multicast group literal such as {UdpMulticastBusOptions.DefaultGroupIPv4} or {UdpMulticastBusOptions.DefaultGroupIPv6} (host names are not resolved).", "channel");
        }

        var multicast = group.AddressFamily switch
        {
            AddressFamily.InterNetwork => (group.GetAddressBytes()[0] & 0xF0) == 0xE0,
            AddressFamily.InterNetworkV6 => group.IsIPv6Multicast,
            _ => false,
        };
        if (!multicast)
        {
            throw new CanConfigurationException(
                $"The channel '{channel}' is not a multicast address: IPv4 groups are 224.0.0.0 to 239.255.255.255, IPv6 groups start with ff (e.g. {UdpMulticastBusOptions.DefaultGroupIPv4}).", "channel");
        }

        return group;
    }

    /// <summary>The group as text, computed once.</summary>
    public string GroupText { get; } = Group.ToString();

    /// <summary>The group as text plus the port, e.g. <c>239.74.163.2:43113</c> or <c>[ff15::1]:43113</c>, computed once.</summary>
    public string Text { get; } = Group.AddressFamily == AddressFamily.InterNetworkV6
        ? string.Create(CultureInfo.InvariantCulture, $"[{Group}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Group}:{Port}");

    /// <summary>The group as text plus the port (see <see cref="Text"/>).</summary>
    /// <returns>The text.</returns>
    public string Describe() => Text;
}
