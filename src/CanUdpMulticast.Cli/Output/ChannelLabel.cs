namespace CanUdpMulticast.Cli.Output;

/// <summary>
/// The interface-name column of candump output and .log files. A frame's channel name is used when it is a
/// single short token (as an interface name is); a numbered channel n prints as <c>can{n}</c>; anything else
/// (no channel, as on udp_multicast, or a name with spaces) prints as the fallback, <c>vcan0</c> by default as in
/// python-can's log writer.
/// </summary>
internal static class ChannelLabel
{
    /// <summary>The name used when a frame's channel has no usable name (python-can's log writer default).</summary>
    public const string DefaultFallback = "vcan0";

    /// <summary>The longest channel name used as is (Linux allows 15 characters for an interface name; group addresses are longer).</summary>
    public const int MaxLength = 40;

    /// <summary>Whether <paramref name="name"/> can be a label: a non-empty token without whitespace, '#' or parentheses.</summary>
    /// <param name="name">The name.</param>
    /// <returns>Whether it is usable.</returns>
    public static bool IsUsable(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '#' or '(' or ')')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The label of a frame's channel.</summary>
    /// <param name="channel">The frame's channel.</param>
    /// <param name="fallback">The label for frames without a usable channel name.</param>
    /// <returns>The label.</returns>
    public static string For(CanChannel channel, string fallback)
    {
        if (channel.IsName && IsUsable(channel.Name))
        {
            return channel.Name!;
        }

        return channel.IsNumber ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"can{channel.Number}") : fallback;
    }
}
