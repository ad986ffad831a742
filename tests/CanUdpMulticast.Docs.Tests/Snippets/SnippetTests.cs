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
            .Concat(Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src"), "README.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RepositoryRoot.Path, f).Replace('\\', '/')));
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
    public void EveryPackageReadme_HasAQuickStartThatRuns()
    {
        var packages = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetDirectoryName(p)!)
            .Where(dir => !File.ReadAllText(Path.Combine(dir, Path.GetFileName(dir) + ".csproj")).Contains("<PackAsTool>true", StringComparison.Ordinal));

        foreach (var dir in packages)
        {
            var readme = Path.GetRelativePath(RepositoryRoot.Path, Path.Combine(dir, "README.md")).Replace('\\', '/');
            SnippetCatalog.All.Should().Contain(s => s.File == readme && s.Runs, $"{readme} needs a quick start marked <!-- snippet: runs -->");
        }

        SnippetCatalog.All.Should().Contain(s => s.File == "README.md" && s.Runs, "the README's quick start runs");
    }

    [Fact]
    public void PackageReadmes_UseAbsoluteLinksOnly()
    {
        foreach (var readme in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src"), "README.md", SearchOption.AllDirectories))
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

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
