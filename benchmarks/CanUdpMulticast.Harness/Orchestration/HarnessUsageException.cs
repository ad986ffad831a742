namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>A bad orchestrator command line (unknown option, missing or bad value): a usage error, exit code 2.</summary>
public sealed class HarnessUsageException : Exception
{
    public HarnessUsageException(string message)
        : base(message)
    {
    }

    public HarnessUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HarnessUsageException()
    {
    }
}
