using System.Text.RegularExpressions;
using CanUdpMulticast.Testing;

namespace CanUdpMulticast.Docs.Tests.Snippets;

/// <summary>
/// The README snippets: every ```csharp block of README.md and src/*/README.md is compiled into this assembly (so the
/// build fails when one rots); the blocks marked <c>&lt;!-- snippet: runs --&gt;</c> (the quick starts) also run and
/// must end by themselves.
/// </summary>
public sealed partial class SnippetTests
{
    public static TheoryData<string> RunnableSnippets()
    {
        var data = new TheoryData<string>();
        foreach (var snippet in SnippetCatalog.All.Where(s => s.Runs))
        {
            data.Add(snippet.ToString());
        }

        return data;
    }

    [Fact]
    public void Catalog_HoldsEveryCSharpBlockOfEveryReadme()
    {
        var markdown = new[] { "README.md", "docs/configuration.md" }
            .Concat(PackageReadmes().Select(f => Path.GetRelativePath(RepositoryRoot.Path, f).Replace('\\', '/')));
        var blocks = markdown
            .SelectMany(file => File.ReadAllLines(Path.Combine(RepositoryRoot.Path, file))
                .Select((line, index) => (file, line: index + 2, text: line.Trim()))
                .Where(l => l.text == "```csharp")
                .Select(l => $"{l.file}:{l.line}"))
            .ToList();

        blocks.Should().NotBeEmpty();
        SnippetCatalog.All.Select(s => s.ToString()).Should().BeEquivalentTo(blocks, "every block is compiled (rebuild after editing a README)");
    }

    [Fact]
    public void EveryLibraryReadme_HasACompiledQuickStart_AndTheMainOnesRun()
    {
        var libraries = Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "src"))
            .Where(dir => File.Exists(Path.Combine(dir, Path.GetFileName(dir) + ".csproj"))
                && !File.ReadAllText(Path.Combine(dir, Path.GetFileName(dir) + ".csproj")).Contains("<PackAsTool>true", StringComparison.Ordinal));

        foreach (var dir in libraries)
        {
            var readme = Path.GetRelativePath(RepositoryRoot.Path, Path.Combine(dir, "README.md")).Replace('\\', '/');
            SnippetCatalog.All.Should().Contain(s => s.File == readme, $"{readme} needs a C# quick start (compiled by this project)");
        }

        // The ones that need nothing but the library run to their end (a package whose quick start needs a server
        // marks none).
        SnippetCatalog.All.Should().Contain(s => s.File == "README.md" && s.Runs)
            .And.Contain(s => s.File == "src/CanUdpMulticast/README.md" && s.Runs)
            .And.Contain(s => s.File == "src/CanUdpMulticast.Sqlite/README.md" && s.Runs);
    }

    [Fact]
    public void PackageReadmes_UseAbsoluteLinksOnly()
    {
        foreach (var readme in PackageReadmes())
        {
            foreach (Match link in MarkdownLink().Matches(File.ReadAllText(readme)))
            {
                link.Groups["target"].Value.Should().StartWith("https://", $"{readme}: a package page has no repository to resolve '{link.Value}' against");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RunnableSnippets))]
    public async Task Snippet_Runs_AndEndsByItself(string name)
    {
        var snippet = SnippetCatalog.All.Single(s => s.ToString() == name);
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            var run = snippet.RunAsync();
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20)));

            finished.Should().BeSameAs(run, $"{name} must end by itself");
            await run;
        }
        finally
        {
            Console.SetOut(original);
        }

        output.ToString().Should().NotBeEmpty($"{name} prints what it received");
    }

    /// <summary>src/*/README.md, as ExtractSnippets.targets globs them.</summary>
    private static IEnumerable<string> PackageReadmes() => Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "src"))
        .Select(dir => Path.Combine(dir, "README.md"))
        .Where(File.Exists);

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
