namespace CanUdpMulticast.Dbc;

/// <summary>A DBC file has an error the parser cannot skip (a signal outside its message, an unknown byte order, a
/// malformed message or signal line). The message names the file, line and column.</summary>
public sealed class DbcParseException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What is wrong.</param>
    /// <param name="fileName">The file, or <see langword="null"/> for text parsed from a string.</param>
    /// <param name="line">The 1-based line.</param>
    /// <param name="column">The 1-based column.</param>
    public DbcParseException(string reason, string? fileName, int line, int column)
        : base($"{fileName ?? "<dbc>"}({line},{column}): {reason}")
    {
        Reason = reason;
        FileName = fileName;
        Line = line;
        Column = column;
    }

    /// <summary>Creates the exception with a message only (line and column 0).</summary>
    public DbcParseException()
        : this("DBC parse error", null, 0, 0)
    {
    }

    /// <summary>Creates the exception with a message only (line and column 0).</summary>
    /// <param name="message">What is wrong.</param>
    public DbcParseException(string message)
        : this(message, null, 0, 0)
    {
    }

    /// <summary>Creates the exception with a message and inner exception (line and column 0).</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DbcParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; } = string.Empty;

    /// <summary>The file, or <see langword="null"/> for text parsed from a string.</summary>
    public string? FileName { get; }

    /// <summary>The 1-based line of the error.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the error.</summary>
    public int Column { get; }
}
