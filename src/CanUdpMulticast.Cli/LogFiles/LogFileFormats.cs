using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Sqlite;

namespace CanUdpMulticast.Cli.LogFiles;

/// <summary>
/// THE one place where <c>log</c> and <c>replay</c> turn a file name into a reader or writer: the library's log
/// format registry (<see cref="CanLogFormatRegistry"/>), which picks the format by suffix (candump <c>.log</c>,
/// <c>.asc</c>, <c>.csv</c>, <c>.trc</c>, ... and their <c>.gz</c> forms) exactly as python-can's logger and player do.
/// An unknown suffix is a usage error (exit code 2); a missing or unreadable file a runtime failure (1).
/// </summary>
internal static class LogFileFormats
{
    // The tool ships SQLite (.db) too; the core library leaves it to its own package, which registers itself here.
#pragma warning disable CA1810 // the registration is a side effect, not a field initialisation
    static LogFileFormats() => SqliteLogFormat.Register();
#pragma warning restore CA1810

    /// <summary>The suffixes <c>log</c> can write, e.g. for help texts.</summary>
    public static IReadOnlyList<string> WritableSuffixes => CanLogFormatRegistry.Default.WritableExtensions;

    /// <summary>The suffixes <c>replay</c> can read.</summary>
    public static IReadOnlyList<string> ReadableSuffixes => CanLogFormatRegistry.Default.ReadableExtensions;

    /// <summary>Opens a writer chosen by the file's suffix.</summary>
    /// <param name="path">The file.</param>
    /// <param name="append">Append to an existing file.</param>
    /// <param name="fallbackChannel">Channel written for frames without one; <see langword="null"/> for the format's default.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="UsageException">The suffix is not a known format, or the format cannot append.</exception>
    public static ICanLogWriter CreateWriter(string path, bool append, string? fallbackChannel)
    {
        try
        {
            var channel = fallbackChannel is null ? (CanChannel?)null
                : long.TryParse(fallbackChannel, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : fallbackChannel;
            return CanLogWriter.Create(path, new CanLogWriterOptions { Append = append, DefaultChannel = channel });
        }
        catch (ArgumentException ex) when (ex.ParamName == "path")
        {
            throw new UsageException(ex.Message, ex);
        }
        catch (NotSupportedException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new UsageException($"cannot write '{path}': the folder '{Path.GetDirectoryName(Path.GetFullPath(path))}' does not exist.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new UsageException($"cannot write '{path}': permission denied.", ex);
        }
    }

    /// <summary>Opens a reader chosen by the file's suffix.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="UsageException">The suffix is not a known format.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static ICanLogReader OpenReader(string path)
    {
        try
        {
            return CanLogReader.Open(path);
        }
        catch (ArgumentException ex) when (ex.ParamName == "path")
        {
            throw new UsageException(ex.Message, ex);
        }
        catch (FileNotFoundException ex)
        {
            throw new FileNotFoundException($"The log file '{path}' does not exist.", path, ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new FileNotFoundException($"The log file '{path}' does not exist.", path, ex);
        }
    }
}
