namespace CanUdpMulticast.Cli;

/// <summary>The process exit codes of <c>canudp</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (also after Ctrl+C, which ends a command normally).</summary>
    public const int Ok = 0;

    /// <summary>Something failed while running: the bus could not open, a send failed, a file could not be read.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown option, bad value, bad frame syntax.</summary>
    public const int Usage = 2;
}
