using System.Diagnostics;
using CanUdpMulticast.Testing;

namespace CanUdpMulticast.Docs.Tests.Cli;

/// <summary>docs/cli.md is exactly what scripts/gen-cli-docs.sh makes from the built tool's --help output.</summary>
public sealed class CliReferenceTests
{
    [SkippableFact]
    public void CliReference_IsWhatTheCommandsHelpPrints()
    {
        Skip.If(OperatingSystem.IsWindows(), "scripts/gen-cli-docs.sh is a bash script");
        var generated = Path.Combine(Path.GetTempPath(), $"cli-{Guid.NewGuid():N}.md");
        try
        {
            var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "scripts", "gen-cli-docs.sh"), generated])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.Environment["CANUDP_DLL"] = Path.Combine(AppContext.BaseDirectory, "canudp.dll");
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit(TimeSpan.FromMinutes(2)).Should().BeTrue();
            process.ExitCode.Should().Be(0, error.Result);

            var expected = File.ReadAllText(generated);
            var committed = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "cli.md"));
            committed.Should().Be(expected, "docs/cli.md must match the commands' help: run scripts/gen-cli-docs.sh and commit the result");
            expected.Should().Contain("## canudp dump").And.Contain("## canudp send").And.Contain("--channel");
        }
        finally
        {
            File.Delete(generated);
        }
    }
}
