using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CanUdpMulticast.Testing;
using Xunit.Abstractions;

namespace CanUdpMulticast.Packaging.Tests;

/// <summary>
/// Native AOT: samples/AotSmoke (virtual bus, UDP multicast bus, BLF writer and reader) published with
/// PublishAot=true without a single trim or AOT warning, and the native binary works. Prints its size and start-up
/// time next to the JIT build's (docs/aot.md has the numbers). Linux x64 only here (the namespace, clang).
/// </summary>
[Collection(DotnetCliTests.Name)]
public sealed partial class AotPublishTests
{
    private readonly ITestOutputHelper _output;

    public AotPublishTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void Publish_AotSmoke_HasNoTrimOrAotWarningAndTheNativeBinaryWorks()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64, "the AOT check runs on Linux x64");
        Skip.IfNot(Environment.GetEnvironmentVariable("CANUDP_NETNS") == "1", "the smoke app opens multicast sockets: only inside scripts/in-netns.sh (scripts/test.sh)");
        ExternalRequirement.Require(File.Exists("/usr/bin/clang") ? null : "clang is not installed (apt-get install clang zlib1g-dev): Native AOT links with it");
        // The same app as a JIT build (framework-dependent, its apphost): the build scripts/test.sh made,
        // measured first (the AOT publish rebuilds that folder without the apphost).
        var jitFolder = Path.Combine(RepositoryRoot.Path, "samples", "AotSmoke", "bin", DotnetCli.Configuration, "net10.0", "linux-x64");
        File.Exists(Path.Combine(jitFolder, "AotSmoke")).Should().BeTrue("the solution build makes the JIT build of samples/AotSmoke");
        var jitSize = Directory.GetFiles(jitFolder).Where(f => !f.EndsWith(".pdb", StringComparison.Ordinal) && !f.EndsWith(".xml", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
        var jitStart = MedianStart(Path.Combine(jitFolder, "AotSmoke"));
        var project = Path.Combine(RepositoryRoot.Path, "samples", "AotSmoke", "AotSmoke.csproj");
        var output = Directory.CreateTempSubdirectory("canudp-aot-").FullName;
        try
        {
            // --no-restore: scripts/test.sh restored the ILCompiler packages outside the namespace (NuGet is out of reach in it).
            var publish = DotnetCli.Dotnet(TimeSpan.FromMinutes(5), RepositoryRoot.Path, "publish", project, "-c", DotnetCli.Configuration, "--no-restore", "-o", output, "-nologo");

            publish.ShouldSucceed("the AOT publish");
            TrimOrAotWarning().Matches(publish.Output).Select(m => m.Value).Should().BeEmpty("the library is trim- and AOT-safe");
            var binary = Path.Combine(output, "AotSmoke");
            var run = DotnetCli.Run(binary, [], TimeSpan.FromSeconds(30)).ShouldSucceed("the native binary");
            run.Output.Should().Contain("virtual:").And.Contain("udp_multicast:").And.Contain("blf:").And.Contain("aot-smoke: ok");

            var aotStart = MedianStart(binary);
            var report = string.Create(CultureInfo.InvariantCulture,
                $"AOT: binary {new FileInfo(binary).Length / 1048576.0:F1} MB, start-up (virtual bus, one frame, exit) median {aotStart.TotalMilliseconds:F0} ms, publish {publish.Elapsed.TotalSeconds:F0} s; " +
                $"JIT: {jitSize / 1048576.0:F1} MB of files plus the shared .NET runtime, start-up median {jitStart.TotalMilliseconds:F0} ms");

            aotStart.Should().BeLessThan(jitStart, "a native binary starts without the runtime's start-up and JIT");
            _output.WriteLine(report);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static TimeSpan MedianStart(string program)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            DotnetCli.Run(program, ["--startup"], TimeSpan.FromSeconds(30)).ShouldSucceed(program + " --startup");
            times.Add(clock.Elapsed);
        }

        return times.Order().ElementAt(times.Count / 2);
    }

    [GeneratedRegex(@"(warning|error) IL[23]\d{3}.*")]
    private static partial Regex TrimOrAotWarning();
}
