using System.IO.Compression;

namespace CanUdpMulticast.IO.Text;

/// <summary>Opens log files for the readers and writers; a name ending in <c>.gz</c> is (de)compressed on the fly.</summary>
internal static class LogFiles
{
    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    public static Stream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // bufferSize 1: no FileStream buffer; the line reader has its own.
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        return IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false) : file;
    }

    public static Stream OpenWrite(string path, bool append, CompressionLevel compressionLevel)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, 1);
        return IsGzip(path) ? new GZipStream(file, compressionLevel, leaveOpen: false) : file;
    }
}
