using System.IO.Compression;
using System.Reflection.Metadata;
using System.Xml.Linq;
using CanUdpMulticast.Testing;
using Xunit.Abstractions;

namespace CanUdpMulticast.Packaging.Tests;

/// <summary>
/// The packages as a user gets them: metadata, icon, own README, SourceLink symbols; the tool package holding only
/// what the tool runs; the tool installed from the feed; a fresh console app restoring the packages from the feed
/// and running the README's quick start.
/// </summary>
[Collection(DotnetCliTests.Name)]
public sealed class PackageTests : IClassFixture<PackedFeed>
{
    private const string ToolId = "CanUdpMulticast.Cli";
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly PackedFeed _feed;
    private readonly ITestOutputHelper _output;

    public PackageTests(PackedFeed feed, ITestOutputHelper output)
    {
        _feed = feed;
        _output = output;
    }

    [Fact]
    public void EveryProjectUnderSrc_IsPacked_WithItsMetadataIconAndOwnReadme()
    {
        _feed.Projects.Should().Contain(p => PackedFeed.IdOf(p) == "CanUdpMulticast").And.Contain(p => PackedFeed.IdOf(p) == ToolId);
        foreach (var project in _feed.Projects)
        {
            var id = PackedFeed.IdOf(project);
            var path = _feed.PackagePath(id);
            File.Exists(path).Should().BeTrue($"{id} is packed as {path}:\n{_feed.PackLog}");
            _output.WriteLine($"{id}: {new FileInfo(path).Length:N0} B" + (File.Exists(_feed.SymbolPackagePath(id)) ? $" (+ {new FileInfo(_feed.SymbolPackagePath(id)).Length:N0} B .snupkg)" : string.Empty));

            using var package = ZipFile.OpenRead(path);
            var nuspec = Nuspec(package);
            string Meta(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? string.Empty;
            Meta("version").Should().Be(_feed.Version);
            Meta("description").Should().NotBeNullOrWhiteSpace().And.NotBe("Package Description");
            Meta("tags").Should().Contain("can");
            Meta("projectUrl").Should().Be("https://github.com/canudpmulticast/CanUdpMulticast");
            Meta("license").Should().Be("MIT");
            Meta("icon").Should().Be("icon.png");
            Meta("readme").Should().Be("README.md");
            var repository = nuspec.Descendants().Single(e => e.Name.LocalName == "repository");
            repository.Attribute("url")!.Value.Should().StartWith("https://github.com/canudpmulticast/CanUdpMulticast");
            repository.Attribute("commit")!.Value.Should().MatchRegex("^[0-9a-f]{40}$", "SourceLink records the commit");
            package.GetEntry("icon.png").Should().NotBeNull();
            Read(package, "README.md").Should().Be(File.ReadAllText(Path.Combine(Path.GetDirectoryName(project)!, "README.md")), "each package has its own README");
        }
    }

    [Fact]
    public void EveryLibrary_HasASymbolPackageWhosePdbsCarrySourceLink()
    {
        foreach (var id in _feed.Projects.Select(PackedFeed.IdOf).Where(id => id != ToolId))
        {
            File.Exists(_feed.SymbolPackagePath(id)).Should().BeTrue($"{id} ships a .snupkg");
            using var symbols = ZipFile.OpenRead(_feed.SymbolPackagePath(id));
            var pdbs = symbols.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal)).ToList();
            pdbs.Should().NotBeEmpty();
            foreach (var pdb in pdbs)
            {
                using var copy = new MemoryStream();
                using (var stream = pdb.Open())
                {
                    stream.CopyTo(copy);
                }

                copy.Position = 0;
                using var provider = MetadataReaderProvider.FromPortablePdbStream(copy);
                var reader = provider.GetMetadataReader();
                var sourceLink = reader.CustomDebugInformation
                    .Select(reader.GetCustomDebugInformation)
                    .Where(info => reader.GetGuid(info.Kind) == SourceLinkKind)
                    .Select(info => System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value)))
                    .SingleOrDefault();
                sourceLink.Should().NotBeNull($"{id}/{pdb.FullName} has a SourceLink record")
                    .And.Contain("https://raw.githubusercontent.com/canudpmulticast/CanUdpMulticast/");
            }
        }
    }

    [Fact]
    public void ToolPackage_CarriesOnlyWhatTheToolRuns()
    {
        using var package = ZipFile.OpenRead(_feed.PackagePath(ToolId));
        var files = package.Entries.Select(e => e.FullName).Where(f => f.StartsWith("tools/", StringComparison.Ordinal)).ToList();

        files.Should().Contain("tools/net10.0/any/canudp.dll");
        files.Should().NotContain(f => f.EndsWith(".pdb", StringComparison.Ordinal), "no symbols in the tool");
        files.Should().NotContain(f => f.EndsWith(".xml", StringComparison.Ordinal) && !f.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal), "no XML docs");
        files.Should().NotContain(f => f.Contains("Harness", StringComparison.Ordinal) || f.EndsWith(".py", StringComparison.Ordinal), "the benchmark harness is not part of the tool");
        files.Should().NotContain(f => f.Contains("/Microsoft.NET.Test", StringComparison.Ordinal) || f.Contains("xunit", StringComparison.OrdinalIgnoreCase));
        var runtimes = files.Where(f => f.Contains("/runtimes/", StringComparison.Ordinal))
            .Select(f => f.Split('/')[4]).Distinct().Order(StringComparer.Ordinal).ToList();
        runtimes.Should().Equal("linux-arm64", "linux-musl-x64", "linux-x64", "osx-arm64", "osx-x64", "win-arm64", "win-x64");
        new FileInfo(_feed.PackagePath(ToolId)).Length.Should().BeLessThan(9_000_000, "the tool package was 19 MB with every runtime and the harness");
    }

    [SkippableFact]
    public void Tool_InstalledWithToolPath_PrintsItsVersionAndRunsTheDemo()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("CANUDP_NETNS") == "1", "canudp demo opens multicast sockets: only inside scripts/in-netns.sh (scripts/test.sh)");
        var tools = Path.Combine(_feed.Work, "tools");
        var config = _feed.WriteOfflineNuGetConfig(Directory.CreateDirectory(Path.Combine(_feed.Work, "tool-install")).FullName);

        DotnetCli.Dotnet(Timeout, _feed.Work, _feed.OfflineEnvironment, "tool", "install", ToolId, "--tool-path", tools, "--version", _feed.Version, "--configfile", config)
            .ShouldSucceed("dotnet tool install");
        var canudp = Path.Combine(tools, OperatingSystem.IsWindows() ? "canudp.exe" : "canudp");

        var version = DotnetCli.Run(canudp, ["--version"], TimeSpan.FromSeconds(60)).ShouldSucceed("canudp --version");
        version.Output.Trim().Should().StartWith(_feed.Version, "the version comes from version.txt");
        var demo = DotnetCli.Run(canudp, ["demo", "--duration", "1s"], TimeSpan.FromSeconds(60)).ShouldSucceed("canudp demo");
        demo.Output.Should().Contain("all frames arrived");
        _output.WriteLine(version.Output + demo.Output);
    }

    [Fact]
    public void ConsumerApp_RestoringFromTheFeedOffline_RunsTheReadmeQuickStart()
    {
        var app = Directory.CreateDirectory(Path.Combine(_feed.Work, "consumer")).FullName;
        _feed.WriteOfflineNuGetConfig(app);
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CanUdpMulticast" Version="{_feed.Version}" />
                <PackageReference Include="CanUdpMulticast.Sqlite" Version="{_feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ReadmeQuickStart());

        DotnetCli.Dotnet(Timeout, app, _feed.OfflineEnvironment, "build", "-c", "Release", "-nologo").ShouldSucceed("building the consumer app");
        var run = DotnetCli.Dotnet(TimeSpan.FromSeconds(60), app, "bin/Release/net10.0/Consumer.dll").ShouldSucceed("running the consumer app");

        run.Output.Should().Contain("de ad be ef").And.Contain("456 0102");
        run.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the quick start ends by itself");
        Directory.GetDirectories(_feed.PackagesFolder).Select(Path.GetFileName).Should()
            .Contain("canudpmulticast", "the package came from the feed, not from a cache");
        _output.WriteLine(run.Output);
    }

    /// <summary>The README's quick start: the first C# block marked to run.</summary>
    private static string ReadmeQuickStart()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md"));
        var marker = Array.FindIndex(lines, l => l.Trim() == "<!-- snippet: runs -->");
        marker.Should().BeGreaterThanOrEqualTo(0);
        lines[marker + 1].Trim().Should().Be("```csharp");
        return string.Join('\n', lines.Skip(marker + 2).TakeWhile(l => l.Trim() != "```"));
    }

    private static XDocument Nuspec(ZipArchive package) =>
        XDocument.Parse(Read(package, package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).FullName));

    private static string Read(ZipArchive package, string name)
    {
        using var reader = new StreamReader(package.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
