namespace CanUdpMulticast.IO.Text;

/// <summary>python-can's <c>channel2int</c>: a channel as a number, for formats that number their channels.</summary>
internal static class ChannelNumbers
{
    /// <summary>The channel number: a number as is, a name by its trailing digits (<c>"can2"</c> is 2), otherwise none.</summary>
    public static long? ToNumber(in CanChannel channel)
    {
        if (channel.IsNumber)
        {
            return channel.Number;
        }

        if (channel.Name is not { Length: > 0 } name)
        {
            return null;
        }

        var start = name.Length;
        while (start > 0 && char.IsAsciiDigit(name[start - 1]))
        {
            start--;
        }

        return start < name.Length && long.TryParse(name.AsSpan(start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
    }
}
