namespace CanUdpMulticast.Fuzz;

/// <summary>Per-process scratch files for targets that read by path (INI, SQLite), reused every execution.</summary>
internal static class ScratchFile
{
    private static readonly string Folder = CreateFolder();

    public static string Path(string name) => System.IO.Path.Combine(Folder, name);

    private static string CreateFolder()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"canudp-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a scratch folder in /tmp.
            }
        };
        return folder;
    }
}
