using System.Text;

namespace CanUdpMulticast.IO.Text;

/// <summary>
/// Turns channel tokens into <see cref="CanChannel"/> values without allocating a string per line: the last few
/// distinct tokens are remembered (logs usually hold one or two channels).
/// </summary>
internal sealed class ChannelCache
{
    private const int Size = 4;
    private readonly byte[][] _tokens = new byte[Size][];
    private readonly CanChannel[] _channels = new CanChannel[Size];
    private int _count;
    private int _next;

    /// <summary>The channel for a token: a number when <paramref name="digitsAreNumbers"/> and the token is all digits, else a name.</summary>
    public CanChannel Get(ReadOnlySpan<byte> token, bool digitsAreNumbers)
    {
        for (var i = 0; i < _count; i++)
        {
            if (token.SequenceEqual(_tokens[i]))
            {
                return _channels[i];
            }
        }

        CanChannel channel = digitsAreNumbers && token.Length <= 18 && AsciiText.IsDigits(token)
            ? long.Parse(token, provider: System.Globalization.CultureInfo.InvariantCulture)
            : Encoding.UTF8.GetString(token);
        var slot = _next;
        _next = (_next + 1) % Size;
        _count = Math.Min(_count + 1, Size);
        _tokens[slot] = token.ToArray();
        _channels[slot] = channel;
        return channel;
    }
}
