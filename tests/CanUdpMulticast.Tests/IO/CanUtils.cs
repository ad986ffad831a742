using System.Diagnostics;

namespace CanUdpMulticast.Tests.IO;

/// <summary>Runs can-utils' log2asc and asc2log (Debian package can-utils).</summary>
internal static class CanUtils
{
    private static readonly Lazy<string?> Problem = new(() =>
        File.Exists("/usr/bin/log2asc") && File.Exists("/usr/bin/asc2log") ? null : "can-utils (log2asc, asc2log) is not installed");

    public static void Require() => ExternalTool.Require(Problem.Value);

    /// <summary>Runs a tool and returns its standard error; fails on a non-zero exit or after 60 s.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/" + tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
        }

        return stderr.Result;
    }
}
