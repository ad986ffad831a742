namespace CanUdpMulticast.Cli;

/// <summary>A usage error found after parsing (e.g. two options that exclude each other): exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UsageException()
    {
    }
}
