namespace CanUdpMulticast.IO.Text;

/// <summary>The format-specific part of a text log reader: turns one line into a frame.</summary>
internal abstract class LineParser
{
    /// <summary>Parses one line (without its line end).</summary>
    /// <param name="line">The line's bytes.</param>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <param name="message">The frame, for <see cref="LineParseResult.Message"/>.</param>
    /// <param name="error">What is wrong, for <see cref="LineParseResult.Invalid"/>.</param>
    /// <returns>What the line held.</returns>
    public abstract LineParseResult Parse(ReadOnlySpan<byte> line, long lineNumber, out CanMessage message, out string? error);

    /// <summary>A header error that no <see cref="InvalidLineHandling"/> can skip (the file is not of this format).</summary>
    public string? FatalError { get; protected set; }
}
