using CanUdpMulticast.IO;

namespace CanUdpMulticast.Cli.LogFiles;

/// <summary>
/// THE one place where <c>log</c> and <c>replay</c> turn a file name into a reader or writer. Today it knows the
/// candump <c>.log</c> format; the library's log format factory (ASC, BLF, CSV, TRC, ...) replaces the bodies of
/// these two methods when it lands, and nothing else in the tool changes.
/// </summary>
internal static class LogFileFormats
{
    /// <summary>The file name suffixes supported.</summary>
    public static IReadOnlyList<string> Suffixes { get; } = [".log"];

    /// <summary>Opens a writer chosen by the file's suffix.</summary>
    /// <param name="path">The file.</param>
    /// <param name="append">Append to an existing file.</param>
    /// <param name="fallbackChannel">Device name for frames without a channel name (candump format).</param>
    /// <returns>The writer.</returns>
    /// <exception cref="UsageException">The suffix is not supported.</exception>
    public static ICanLogWriter CreateWriter(string path, bool append, string fallbackChannel)
    {
        CheckSuffix(path);
        return CandumpLogWriter.Open(path, append, fallbackChannel);
    }

    /// <summary>Opens a reader chosen by the file's suffix.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="UsageException">The suffix is not supported.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static ICanLogReader OpenReader(string path)
    {
        CheckSuffix(path);
        return CandumpLogReader.Open(path);
    }

    private static void CheckSuffix(string path)
    {
        if (!Suffixes.Any(s => path.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            throw new UsageException(
                $"'{path}': unsupported log format. Supported: {string.Join(", ", Suffixes)} (candump log, e.g. capture.log).");
        }
    }
}
