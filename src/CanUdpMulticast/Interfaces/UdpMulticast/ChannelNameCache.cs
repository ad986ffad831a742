namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>Recently seen channel names by their UTF-8 bytes, so steady traffic decodes without allocating strings.</summary>
internal sealed class ChannelNameCache
{
    private const int Size = 16;
    private readonly byte[][] _utf8 = new byte[Size][];
    private readonly string[] _names = new string[Size];
    private int _next;

    [ThreadStatic]
    private static ChannelNameCache? t_current;

    /// <summary>The name for <paramref name="utf8"/> from the calling thread's cache (valid UTF-8 expected).</summary>
    public static string Get(ReadOnlySpan<byte> utf8) => (t_current ??= new ChannelNameCache()).Lookup(utf8);

    private string Lookup(ReadOnlySpan<byte> utf8)
    {
        for (var i = 0; i < Size; i++)
        {
            if (_utf8[i] is { } cached && utf8.SequenceEqual(cached))
            {
                return _names[i];
            }
        }

        var name = WireFormat.StrictUtf8.GetString(utf8);
        _utf8[_next] = utf8.ToArray();
        _names[_next] = name;
        _next = (_next + 1) % Size;
        return name;
    }
}
