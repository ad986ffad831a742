namespace CanUdpMulticast.Dbc;

/// <summary>A value cannot be encoded into a signal: outside the signal's minimum/maximum or its raw field, not a
/// number, or a name that is not a signal of the message. The message names the signal.</summary>
public sealed class DbcEncodingException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="messageName">The DBC message.</param>
    /// <param name="signalName">The signal.</param>
    public DbcEncodingException(string message, string? messageName, string? signalName)
        : base(message)
    {
        MessageName = messageName;
        SignalName = signalName;
    }

    /// <summary>Creates the exception.</summary>
    public DbcEncodingException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public DbcEncodingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DbcEncodingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The name of the DBC message being encoded.</summary>
    public string? MessageName { get; }

    /// <summary>The name of the signal whose value was rejected, if one was.</summary>
    public string? SignalName { get; }
}
