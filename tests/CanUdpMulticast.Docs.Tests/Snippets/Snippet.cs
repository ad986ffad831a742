namespace CanUdpMulticast.Docs.Tests.Snippets;

/// <summary>One ```csharp block of a README, compiled into this assembly by ExtractSnippets.targets.</summary>
/// <param name="File">The markdown file, relative to the repository root.</param>
/// <param name="Line">The block's first line.</param>
/// <param name="Runs">Whether the block is marked to run (<c>&lt;!-- snippet: runs --&gt;</c>).</param>
/// <param name="RunAsync">Runs the block.</param>
internal sealed record Snippet(string File, int Line, bool Runs, Func<Task> RunAsync)
{
    public override string ToString() => $"{File}:{Line}";
}
