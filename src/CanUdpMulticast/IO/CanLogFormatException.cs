namespace CanUdpMulticast.IO;

/// <summary>
/// A log file is not in the format its reader expects: a malformed line, a wrong header, a line that is too long,
/// or a truncated record. The message names the file (when known) and the line number or byte offset.
/// </summary>
public sealed class CanLogFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public CanLogFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public CanLogFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CanLogFormatException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a place in a file.</summary>
    /// <param name="detail">What is wrong.</param>
    /// <param name="source">The file name, or <see langword="null"/> when reading a stream without a name.</param>
    /// <param name="lineNumber">The 1-based line number (text formats), or <see langword="null"/>.</param>
    /// <param name="byteOffset">The byte offset from the start of the file (binary formats), or <see langword="null"/>.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CanLogFormatException(string detail, string? source, long? lineNumber, long? byteOffset = null, Exception? innerException = null)
        : base(Compose(detail, source, lineNumber, byteOffset), innerException)
    {
        Detail = detail;
        FileName = source;
        LineNumber = lineNumber;
        ByteOffset = byteOffset;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string? Detail { get; }

    /// <summary>The file name, if known.</summary>
    public string? FileName { get; }

    /// <summary>The 1-based line number of the offending line (text formats).</summary>
    public long? LineNumber { get; }

    /// <summary>The byte offset of the offending record from the start of the file (binary formats).</summary>
    public long? ByteOffset { get; }

    private static string Compose(string detail, string? source, long? lineNumber, long? byteOffset)
    {
        var where = source ?? "log";
        if (lineNumber is { } line)
        {
            where += $", line {line}";
        }

        if (byteOffset is { } offset)
        {
            where += $", byte offset {offset}";
        }

        return $"{where}: {detail}";
    }
}
