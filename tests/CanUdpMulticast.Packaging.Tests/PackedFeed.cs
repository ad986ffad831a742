using System.IO.Compression;
using CanUdpMulticast.Testing;

namespace CanUdpMulticast.Packaging.Tests;

/// <summary>
/// Every project under src/ packed (from the build scripts/test.sh made, no rebuild) into one temporary folder feed,
/// once for the test class. Removed afterwards.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    public PackedFeed()
    {
        Work = Directory.CreateTempSubdirectory("canudp-packaging-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Work, "feed")).FullName;
        Version = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "version.txt")).Trim();
        Projects = [.. Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
        foreach (var project in Projects)
        {
            PackLog += DotnetCli.Dotnet(TimeSpan.FromMinutes(3), RepositoryRoot.Path, "pack", project, "-c", DotnetCli.Configuration, "--no-build", "-o", Feed, "-nologo")
                .ShouldSucceed("dotnet pack " + Path.GetFileName(project)).Output;
        }
    }

    /// <summary>A temporary folder for this run; the feed and whatever the tests install live under it.</summary>
    public string Work { get; }

    public string Feed { get; }

    /// <summary>The version every package has (version.txt).</summary>
    public string Version { get; }

    public IReadOnlyList<string> Projects { get; }

    public string PackLog { get; } = string.Empty;

    /// <summary>The package id of a project (its folder name).</summary>
    public static string IdOf(string project) => Path.GetFileNameWithoutExtension(project);

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public string SymbolPackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.snupkg");

    /// <summary>The private global packages folder the offline restores use (see <see cref="OfflineEnvironment"/>).</summary>
    public string PackagesFolder => Path.Combine(Work, "packages");

    /// <summary>
    /// The environment for a dotnet command that restores from this feed: <c>NUGET_PACKAGES</c> set to the private
    /// global folder. The variable wins over a nuget.config's <c>globalPackagesFolder</c>, and CI machines often set it
    /// (to cache packages), so the config file alone would let the restore use, and report, the machine's folder.
    /// </summary>
    public IReadOnlyDictionary<string, string> OfflineEnvironment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackagesFolder };

    /// <summary>
    /// A nuget.config for restoring from this feed with no network: only the feed as a source, the machine's package
    /// folder as a read-only fallback (the packages' own dependencies are there since the repository's restore), and a
    /// private global folder, so nothing of a previous run's packages is reused. Run the restore with
    /// <see cref="OfflineEnvironment"/> too.
    /// </summary>
    public string WriteOfflineNuGetConfig(string directory)
    {
        var machineFolder = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(directory, "nuget.config");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{PackagesFolder}" />
              </config>
              <packageSources>
                <clear />
                <add key="feed" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
                <add key="machine" value="{machineFolder}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        return path;
    }

    /// <summary>The entries of a package (paths inside the zip).</summary>
    public static IReadOnlyList<ZipArchiveEntry> Entries(ZipArchive package) => package.Entries;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open by a process that is ending: the temp folder is cleaned by the OS later
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DotnetCliTests
{
    /// <summary>Tests that run dotnet pack/publish on the repository's projects: one at a time.</summary>
    public const string Name = "dotnet CLI";
}
