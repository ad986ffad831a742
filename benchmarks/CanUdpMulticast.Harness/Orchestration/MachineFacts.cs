using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>What the numbers were measured on.</summary>
internal sealed class MachineFacts
{
    public required int ProcessorCount { get; init; }

    public required string Kernel { get; init; }

    public required string Cpu { get; init; }

    public required string DotnetSdk { get; init; }

    public required string Runtime { get; init; }

    public required string PythonCan { get; init; }

    public required string LoadBefore { get; init; }

    public string LoadAfter { get; set; } = "";

    public required DateTimeOffset Started { get; init; }

    public static MachineFacts Collect(string pythonScript) => new()
    {
        ProcessorCount = Environment.ProcessorCount,
        Kernel = ReadFirstLine("/proc/sys/kernel/osrelease"),
        Cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?",
        DotnetSdk = Run("dotnet", "--version"),
        Runtime = RuntimeInformation.FrameworkDescription,
        PythonCan = Run("/usr/bin/python3", pythonScript, "version"),
        LoadBefore = LoadAverage(),
        Started = DateTimeOffset.Now,
    };

    public static string LoadAverage() => string.Join(' ', ReadFirstLine("/proc/loadavg").Split(' ').Take(3));

    private static string ReadFirstLine(string path) => File.ReadLines(path).FirstOrDefault()?.Trim() ?? "?";

    private static string Run(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"? ({ex.Message})";
        }
    }
}
