namespace CanUdpMulticast.IO.Text;

/// <summary>Splits a line into tokens separated by spaces and tabs (python's <c>str.split()</c>), without allocating.</summary>
internal ref struct Tokenizer
{
    private ReadOnlySpan<byte> _rest;

    public Tokenizer(ReadOnlySpan<byte> line)
    {
        _rest = line;
    }

    /// <summary>What follows the tokens taken so far, without leading blanks.</summary>
    public readonly ReadOnlySpan<byte> Rest => AsciiText.TrimStart(_rest);

    /// <summary>Takes the next token.</summary>
    /// <param name="token">The token.</param>
    /// <returns><see langword="false"/> when no token is left.</returns>
    public bool Next(out ReadOnlySpan<byte> token)
    {
        var rest = AsciiText.TrimStart(_rest);
        if (rest.IsEmpty)
        {
            token = default;
            _rest = rest;
            return false;
        }

        var end = rest.IndexOfAny((byte)' ', (byte)'\t');
        if (end < 0)
        {
            token = rest;
            _rest = default;
        }
        else
        {
            token = rest[..end];
            _rest = rest[end..];
        }

        return true;
    }

    /// <summary>Takes the next token or an empty span.</summary>
    /// <returns>The token, empty when none is left.</returns>
    public ReadOnlySpan<byte> Next() => Next(out var token) ? token : default;

    /// <summary>Counts the tokens left without taking them.</summary>
    /// <returns>The number of tokens.</returns>
    public readonly int CountRemaining()
    {
        var copy = this;
        var count = 0;
        while (copy.Next(out _))
        {
            count++;
        }

        return count;
    }

    /// <summary>Splits a line into the ranges of its tokens; returns their count, or more than <paramref name="tokens"/> holds when they do not fit.</summary>
    public static int Split(ReadOnlySpan<byte> text, Span<Range> tokens)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] is (byte)' ' or (byte)'\t')
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            var start = i;
            while (i < text.Length && text[i] is not ((byte)' ' or (byte)'\t'))
            {
                i++;
            }

            if (count == tokens.Length)
            {
                return count + 1;
            }

            tokens[count++] = new Range(start, i);
        }

        return count;
    }
}
