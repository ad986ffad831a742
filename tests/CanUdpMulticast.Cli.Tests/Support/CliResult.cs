namespace CanUdpMulticast.Cli.Tests.Support;

/// <summary>What one in-process <c>canudp</c> run produced.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error, string ConsoleOutput)
{
    /// <summary>The stdout lines, without the trailing empty one.</summary>
    public IReadOnlyList<string> OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- out\n{Out}\n--- err\n{Error}\n--- console\n{ConsoleOutput}";
}
