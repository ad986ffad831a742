using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// The sender of a datagram (IP address, port, IPv6 scope) as a small value, read straight from the kernel's
/// <c>sockaddr</c> bytes so the receive path allocates nothing.
/// </summary>
internal readonly struct SourceAddress : IEquatable<SourceAddress>
{
    private readonly ulong _high;
    private readonly ulong _low;

    private SourceAddress(AddressFamily family, ushort port, ulong high, ulong low, uint scopeId)
    {
        Family = family;
        Port = port;
        _high = high;
        _low = low;
        ScopeId = scopeId;
    }

    /// <summary>The address family; <see cref="AddressFamily.Unspecified"/> for an unknown sender.</summary>
    public AddressFamily Family { get; }

    /// <summary>The UDP source port.</summary>
    public ushort Port { get; }

    /// <summary>The IPv6 scope (interface index of a link-local address); 0 for IPv4.</summary>
    public uint ScopeId { get; }

    /// <summary>The first 64 bits of an IPv6 address (0 for IPv4), most significant bit first.</summary>
    public ulong High => _high;

    /// <summary>The last 64 bits of an IPv6 address, or the IPv4 address in the low 32 bits.</summary>
    public ulong Low => _low;

    /// <summary>
    /// Reads a <c>sockaddr_in</c> / <c>sockaddr_in6</c>. The port sits at bytes 2..3, the IPv4 address at 4..7 and the IPv6
    /// address at 8..23 with the scope at 24..27 on Linux, Windows and the BSDs alike, so one reader serves every platform.
    /// </summary>
    /// <param name="sockaddr">The raw bytes the kernel wrote.</param>
    /// <param name="family">The family of the receiving socket.</param>
    /// <returns>The source, or the default value when the bytes are too short.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SourceAddress FromSockaddr(ReadOnlySpan<byte> sockaddr, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork && sockaddr.Length >= 8)
        {
            return new SourceAddress(family, BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]), 0, BinaryPrimitives.ReadUInt32BigEndian(sockaddr[4..]), 0);
        }

        if (family == AddressFamily.InterNetworkV6 && sockaddr.Length >= 24)
        {
            var scope = sockaddr.Length >= 28 ? BitConverter.ToUInt32(sockaddr[24..]) : 0;
            return new SourceAddress(
                family,
                BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]),
                BinaryPrimitives.ReadUInt64BigEndian(sockaddr[8..]),
                BinaryPrimitives.ReadUInt64BigEndian(sockaddr[16..]),
                scope);
        }

        return default;
    }

    /// <summary>The source of datagrams sent from <paramref name="address"/> and <paramref name="port"/> (the slow path).</summary>
    /// <param name="address">An IPv4 or IPv6 address.</param>
    /// <param name="port">The UDP port.</param>
    /// <returns>The source; the default value for another family.</returns>
    public static SourceAddress From(IPAddress address, int port)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return default;
        }

        return written switch
        {
            4 => new SourceAddress(AddressFamily.InterNetwork, (ushort)port, 0, BinaryPrimitives.ReadUInt32BigEndian(bytes), 0),
            16 => new SourceAddress(AddressFamily.InterNetworkV6, (ushort)port, BinaryPrimitives.ReadUInt64BigEndian(bytes),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), (uint)address.ScopeId),
            _ => default,
        };
    }

    /// <summary>Whether two sources have the same family, address and port (whatever their IPv6 scope).</summary>
    /// <param name="other">The other source.</param>
    /// <returns>Whether a filter on one matches the other.</returns>
    public bool SameAddressAndPort(in SourceAddress other) =>
        Family == other.Family && Port == other.Port && _high == other._high && _low == other._low;

    /// <summary>The address as an <see cref="IPAddress"/> (allocates; for logs and the slow path only).</summary>
    /// <returns>The address, or <see langword="null"/> for an unknown sender.</returns>
    public IPAddress? ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        switch (Family)
        {
            case AddressFamily.InterNetwork:
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)_low);
                return new IPAddress(bytes[..4]);
            case AddressFamily.InterNetworkV6:
                BinaryPrimitives.WriteUInt64BigEndian(bytes, _high);
                BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _low);
                return new IPAddress(bytes, ScopeId);
            default:
                return null;
        }
    }

    /// <inheritdoc/>
    public bool Equals(SourceAddress other) =>
        Family == other.Family && Port == other.Port && _high == other._high && _low == other._low && ScopeId == other.ScopeId;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SourceAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Family, Port, _high, _low, ScopeId);

    /// <summary><c>address:port</c>, or <c>[address]:port</c> for IPv6.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => ToIPAddress() is { } address
        ? new IPEndPoint(address, Port).ToString()
        : "(unknown)";
}
