namespace CanUdpMulticast.Testing;

/// <summary>The checkout the tests run from (the folder holding CanUdpMulticast.sln).</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CanUdpMulticast.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (CanUdpMulticast.sln) above " + AppContext.BaseDirectory);
    });

    /// <summary>The absolute path of the checkout.</summary>
    public static string Path => Root.Value;
}
