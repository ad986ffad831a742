namespace CanUdpMulticast;

/// <summary>The base of every CAN-specific error (python-can's <c>CanError</c>).</summary>
public class CanException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CanException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public CanException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CanException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a message and a backend error code.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="errorCode">The backend's error code; appended to the message as python-can does.</param>
    /// <param name="innerException">The cause.</param>
    public CanException(string message, int errorCode, Exception? innerException = null)
        : base($"{message} [Error Code {errorCode}]", innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The backend's error code, if any.</summary>
    public int? ErrorCode { get; }
}

/// <summary>A bus could not be created or configured (python-can's <c>CanInitializationError</c>).</summary>
public class CanInitializationException : CanException
{
    /// <summary>Creates the exception.</summary>
    public CanInitializationException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public CanInitializationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CanInitializationException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>An operation on an open bus failed (python-can's <c>CanOperationError</c>).</summary>
public class CanOperationException : CanException
{
    /// <summary>Creates the exception.</summary>
    public CanOperationException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public CanOperationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CanOperationException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>An operation did not complete within its timeout (python-can's <c>CanTimeoutError</c>).</summary>
public class CanTimeoutException : CanException
{
    /// <summary>Creates the exception.</summary>
    public CanTimeoutException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public CanTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CanTimeoutException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The requested interface is unknown or not available here (python-can's <c>CanInterfaceNotImplementedError</c>).</summary>
public class CanInterfaceNotImplementedException : CanException
{
    /// <summary>Creates the exception.</summary>
    public CanInterfaceNotImplementedException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public CanInterfaceNotImplementedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CanInterfaceNotImplementedException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>
/// A bus option is unknown or has a bad value: the message names the key, the value, where it came from and, for a
/// misspelt key, the closest valid one. A configuration error, not a fault of the bus.
/// </summary>
public class CanConfigurationException : CanInitializationException
{
    /// <summary>Creates the exception.</summary>
    public CanConfigurationException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public CanConfigurationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CanConfigurationException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for one option.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The option's key as it was given.</param>
    /// <param name="suggestion">The closest valid key for an unknown one, or <see langword="null"/>.</param>
    /// <param name="innerException">The cause.</param>
    public CanConfigurationException(string message, string key, string? suggestion = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Key = key;
        Suggestion = suggestion;
    }

    /// <summary>The option's key as it was given, when the error is about one option.</summary>
    public string? Key { get; }

    /// <summary>For an unknown key, the closest key the interface knows; otherwise <see langword="null"/>.</summary>
    public string? Suggestion { get; }
}
