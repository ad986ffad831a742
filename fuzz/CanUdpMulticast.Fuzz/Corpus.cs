namespace CanUdpMulticast.Fuzz;

/// <summary>The seed corpora and regression inputs in the repository (fuzz/corpus/TARGET, fuzz/regressions/TARGET).</summary>
internal static class Corpus
{
    /// <summary>The repository's fuzz folder, found upwards from the working folder or the program.</summary>
    public static string FuzzFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "fuzz", "corpus");
                if (Directory.Exists(candidate))
                {
                    return Path.Combine(dir.FullName, "fuzz");
                }
            }
        }

        throw new DirectoryNotFoundException("No fuzz/corpus folder above the working folder or the program.");
    }

    /// <summary>The files of a folder (sorted by name, so runs are repeatable); none if it does not exist.</summary>
    public static IReadOnlyList<byte[]> Load(string folder) =>
        Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)]
            : [];

    public static IReadOnlyList<byte[]> Seeds(string target) => Load(Path.Combine(FuzzFolder(), "corpus", target));

    public static IReadOnlyList<string> Regressions(string target)
    {
        var folder = Path.Combine(FuzzFolder(), "regressions", target);
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)] : [];
    }
}
