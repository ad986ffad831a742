using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// The senders a bus accepts datagrams from (<see cref="UdpMulticastBusOptions.AllowedSources"/>): address prefixes in
/// CIDR notation, IPv4 and IPv6. Matching is a few integer operations per prefix and allocates nothing.
/// </summary>
internal sealed class SourceAllowList
{
    private readonly Prefix[] _prefixes;

    private SourceAllowList(Prefix[] prefixes) => _prefixes = prefixes;

    /// <summary>Parses the option; <see langword="null"/> when it is not set (everyone is accepted).</summary>
    /// <param name="entries">CIDR prefixes (<c>"10.0.0.0/8"</c>, <c>"fd00::/8"</c>) or single addresses.</param>
    /// <returns>The list, or <see langword="null"/>.</returns>
    /// <exception cref="CanInitializationException">An entry is not an address or prefix, or its length is out of range.</exception>
    public static SourceAllowList? Create(IReadOnlyList<string>? entries)
    {
        if (entries is null)
        {
            return null;
        }

        var prefixes = new Prefix[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            prefixes[i] = Parse(entries[i]);
        }

        return new SourceAllowList(prefixes);
    }

    /// <summary>Whether <paramref name="source"/> lies in one of the prefixes.</summary>
    /// <param name="source">The sender of a datagram.</param>
    /// <returns>Whether it is allowed.</returns>
    public bool Contains(in SourceAddress source)
    {
        foreach (ref readonly var prefix in _prefixes.AsSpan())
        {
            if (prefix.Family == source.Family && ((source.High ^ prefix.High) & prefix.MaskHigh) == 0
                && ((source.Low ^ prefix.Low) & prefix.MaskLow) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static Prefix Parse(string entry)
    {
        var text = entry?.Trim() ?? string.Empty;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address)
            || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new CanInitializationException(
                $"Allowed source '{entry}' is not an IPv4 or IPv6 address or CIDR prefix (e.g. 192.168.1.0/24, fd00::/8).");
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bits))
        {
            throw new CanInitializationException($"Allowed source '{entry}' has an invalid prefix length (0..{bits}).");
        }

        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        address.TryWriteBytes(bytes, out _);
        if (bits == 32)
        {
            // An IPv4 address sits in the low 32 bits (as in SourceAddress).
            var mask = length == 0 ? 0UL : (0xFFFF_FFFFUL << (32 - length)) & 0xFFFF_FFFFUL;
            return new Prefix(AddressFamily.InterNetwork, 0, BinaryPrimitives.ReadUInt32BigEndian(bytes), 0, mask);
        }

        var maskHigh = length >= 64 ? ulong.MaxValue : length == 0 ? 0 : ulong.MaxValue << (64 - length);
        var maskLow = length <= 64 ? 0 : length == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - length);
        return new Prefix(AddressFamily.InterNetworkV6, BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            maskHigh, maskLow);
    }

    private readonly record struct Prefix(AddressFamily Family, ulong High, ulong Low, ulong MaskHigh, ulong MaskLow);
}
