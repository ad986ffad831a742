using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace CanUdpMulticast.Packaging.Tests;

/// <summary>Runs the dotnet CLI (or a built program) as a child process, output captured, with a time limit.</summary>
internal static class DotnetCli
{
    /// <summary>The configuration this test assembly was built in: the packing and publishing use the same build.</summary>
    public static string Configuration { get; } =
        typeof(DotnetCli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static ProcessResult Run(
        string file, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would point the child's build at the test run's SDK state.
        foreach (var name in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);   // only what this call started
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output.ToString(), clock.Elapsed);
    }

    public static ProcessResult Dotnet(TimeSpan timeout, string? workingDirectory, params string[] arguments) =>
        Run("dotnet", arguments, timeout, workingDirectory);

    /// <summary>A dotnet command with extra environment variables (they replace the test host's of the same name).</summary>
    public static ProcessResult Dotnet(TimeSpan timeout, string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Run("dotnet", arguments, timeout, workingDirectory, environment);

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}

/// <summary>What a child process did.</summary>
internal sealed record ProcessResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    public ProcessResult ShouldSucceed(string what)
    {
        ExitCode.Should().Be(0, $"{what} failed:\n{Output}");
        return this;
    }
}
