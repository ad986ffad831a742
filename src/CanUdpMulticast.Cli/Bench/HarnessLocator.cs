namespace CanUdpMulticast.Cli.Bench;

/// <summary>
/// Finds the loopback benchmark harness (benchmarks/CanUdpMulticast.Harness.Runner) that <c>canudp bench</c> runs as a
/// separate program: the tool package does not carry it (it is a benchmark with python scripts and native interop,
/// not part of the product), so it comes from a source checkout.
/// </summary>
internal static class HarnessLocator
{
    /// <summary>Names the harness to run: a built <c>CanUdpMulticast.Harness.Runner.dll</c> (or its executable).</summary>
    public const string Variable = "CANUDP_BENCH_HARNESS";

    public const string RunnerName = "CanUdpMulticast.Harness.Runner";

    private static readonly string[] Configurations = ["Release", "Debug"];

    private static readonly string RunnerProject = Path.Combine("benchmarks", RunnerName, RunnerName + ".csproj");

    /// <summary>
    /// The harness to run: <see cref="Variable"/> when set, else the newest build of the runner in a checkout above
    /// the current directory or above this program (Release before Debug on equal times).
    /// </summary>
    /// <param name="startDirectories">Where to look upwards from.</param>
    /// <returns>The path of the runner's .dll or executable.</returns>
    /// <exception cref="UsageException">No harness: what to do instead.</exception>
    public static string Find(IEnumerable<string> startDirectories)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named)
        {
            return File.Exists(named)
                ? Path.GetFullPath(named)
                : throw new UsageException($"bench: {Variable} names '{named}', which does not exist");
        }

        foreach (var start in startDirectories)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, RunnerProject)))
                {
                    continue;
                }

                var built = Configurations
                    .Select(configuration => new FileInfo(Path.Combine(dir.FullName, "benchmarks", RunnerName, "bin", configuration, "net10.0", RunnerName + ".dll")))
                    .Where(file => file.Exists)
                    .OrderByDescending(file => file.LastWriteTimeUtc)
                    .FirstOrDefault();
                return built?.FullName ?? throw new UsageException(
                    $"bench: the benchmark harness in {dir.FullName} is not built: run 'dotnet build {RunnerProject} -c Release' first (or scripts/bench.sh)");
            }
        }

        throw new UsageException(
            "bench: runs the loopback benchmark harness of the source repository, which the canudp tool does not ship: " +
            "clone https://github.com/canudpmulticast/CanUdpMulticast and run scripts/bench.sh there (or 'canudp bench' from inside the checkout " +
            $"after 'dotnet build {RunnerProject} -c Release'), or set {Variable} to a built {RunnerName}.dll");
    }
}
