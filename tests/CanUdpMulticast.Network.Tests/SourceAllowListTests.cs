using System.Net;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;

namespace CanUdpMulticast.Network.Tests;

/// <summary>The allow-list's prefix matching (no sockets): boundaries of IPv4 and IPv6 prefixes, families kept apart.</summary>
public sealed class SourceAllowListTests
{
    [Theory]
    [InlineData("192.168.1.0/24", "192.168.1.0", true)]
    [InlineData("192.168.1.0/24", "192.168.1.255", true)]
    [InlineData("192.168.1.0/24", "192.168.2.1", false)]
    [InlineData("192.168.1.77/24", "192.168.1.3", true)] // host bits of the prefix are ignored
    [InlineData("10.0.0.7", "10.0.0.7", true)] // a single address is a /32
    [InlineData("10.0.0.7", "10.0.0.8", false)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("fd00::/8", "fd12:3456::1", true)]
    [InlineData("fd00::/8", "fe80::1", false)]
    [InlineData("2001:db8:1:2::/64", "2001:db8:1:2:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:1:2::/64", "2001:db8:1:3::", false)]
    [InlineData("2001:db8::8000:0:0:0/65", "2001:db8::8000:0:0:1", true)]
    [InlineData("2001:db8::8000:0:0:0/65", "2001:db8::7fff:0:0:1", false)]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("2001:db8::1", "2001:db8::2", false)]
    [InlineData("::/0", "fe80::1", true)]
    [InlineData("0.0.0.0/0", "fe80::1", false)] // an IPv4 prefix never matches an IPv6 sender
    [InlineData("::/0", "127.0.0.1", false)]
    public void Contains_PrefixAndSender_MatchesLikeCidr(string prefix, string sender, bool expected)
    {
        var list = SourceAllowList.Create([prefix])!;

        list.Contains(Source(sender)).Should().Be(expected);
    }

    [Fact]
    public void Create_NotSet_AcceptsEveryoneAndEmptyAcceptsNoOne()
    {
        SourceAllowList.Create(null).Should().BeNull();
        SourceAllowList.Create([])!.Contains(Source("127.0.0.1")).Should().BeFalse();
    }

    private static SourceAddress Source(string address)
    {
        var ip = IPAddress.Parse(address);
        var sockaddr = new IPEndPoint(ip, 4242).Serialize();
        return SourceAddress.FromSockaddr(sockaddr.Buffer.Span[..sockaddr.Size], ip.AddressFamily == AddressFamily.InterNetwork ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6);
    }
}
