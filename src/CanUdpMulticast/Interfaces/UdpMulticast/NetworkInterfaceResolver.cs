using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using CanUdpMulticast.Interfaces.UdpMulticast.Linux;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>Turns the user's interface choice (name, index or address) into an interface index.</summary>
internal static class NetworkInterfaceResolver
{
    /// <summary>Resolves an interface.</summary>
    /// <param name="specification">A name (<c>eth0</c>), an index (<c>3</c>), one of the interface's addresses, or <see langword="null"/>.</param>
    /// <returns>The interface index; 0 for <see langword="null"/> (the OS chooses).</returns>
    /// <exception cref="CanConfigurationException">No such interface exists here.</exception>
    public static int Resolve(string? specification)
    {
        if (specification is null)
        {
            return 0;
        }

        var text = specification.Trim();
        if (text.Length == 0)
        {
            throw new CanConfigurationException("The network interface is empty; give a name (e.g. eth0), an index or an address, or leave it unset for the OS choice.", "network_interface");
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            if (index > 0 && IndexExists(index))
            {
                return index;
            }

            throw Unknown(specification, $"no interface has index {index}");
        }

        if (IPAddress.TryParse(text, out var address))
        {
            return FindByAddress(address) is { } byAddress
                ? byAddress
                : throw Unknown(specification, $"no interface has the address {address}");
        }

        return FindByName(text) is { } byName
            ? byName
            : throw Unknown(specification, "no interface has that name");
    }

    private static CanConfigurationException Unknown(string specification, string why) =>
        new($"Network interface '{specification}' is unknown on this host: {why}. Known interfaces: {KnownInterfaces()}.", "network_interface");

    private static string KnownInterfaces()
    {
        try
        {
            return string.Join(", ", NetworkInterface.GetAllNetworkInterfaces().Select(ni => $"{ni.Name} (#{IndexOf(ni)?.ToString(CultureInfo.InvariantCulture) ?? "?"})"));
        }
        catch (NetworkInformationException)
        {
            return "(cannot list)";
        }
    }

    private static bool IndexExists(int index)
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxInterop.InterfaceNameOf(index) is not null;
        }

        return NetworkInterface.GetAllNetworkInterfaces().Any(ni => IndexOf(ni) == index);
    }

    private static int? FindByName(string name)
    {
        if (OperatingSystem.IsLinux())
        {
            var index = LinuxInterop.if_nametoindex(name);
            return index == 0 ? null : (int)index;
        }

        var match = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(ni =>
            string.Equals(ni.Name, name, StringComparison.Ordinal) || string.Equals(ni.Id, name, StringComparison.OrdinalIgnoreCase));
        return match is null ? null : IndexOf(match);
    }

    private static int? FindByAddress(IPAddress address)
    {
        foreach (var ni in NetworkInterface.GetAllNetworkInterfaces())
        {
            IPInterfaceProperties properties;
            try
            {
                properties = ni.GetIPProperties();
            }
            catch (NetworkInformationException)
            {
                continue;
            }

            foreach (var unicast in properties.UnicastAddresses)
            {
                // Compare without the IPv6 scope: "fe80::1" names the interface that holds it.
                if (unicast.Address.AddressFamily == address.AddressFamily
                    && unicast.Address.GetAddressBytes().AsSpan().SequenceEqual(address.GetAddressBytes()))
                {
                    return IndexOf(ni);
                }
            }
        }

        return null;
    }

    private static int? IndexOf(NetworkInterface ni)
    {
        try
        {
            if (ni.Supports(NetworkInterfaceComponent.IPv6) && ni.GetIPProperties().GetIPv6Properties() is { } v6)
            {
                return v6.Index;
            }

            if (ni.Supports(NetworkInterfaceComponent.IPv4) && ni.GetIPProperties().GetIPv4Properties() is { } v4)
            {
                return v4.Index;
            }
        }
        catch (NetworkInformationException)
        {
        }
        catch (PlatformNotSupportedException)
        {
        }

        if (OperatingSystem.IsLinux())
        {
            var index = LinuxInterop.if_nametoindex(ni.Name);
            return index == 0 ? null : (int)index;
        }

        return null;
    }
}
