using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Csv;

/// <summary>
/// Reads CSV files in python-can's layout (<c>CSVReader</c>, file suffix <c>.csv</c>): a header line
/// <c>timestamp,arbitration_id,extended,remote,error,dlc,data</c>, then one row per frame with the id in hex, the
/// flags as 0/1 and the data in base64. Streams the file; nothing is loaded whole.
/// </summary>
/// <remarks>
/// The layout has no channel, direction, FD, BRS or ESI columns: frames come back without a channel, as received,
/// and as CAN FD only when they hold more than 8 bytes (python-can leaves them classic). A first line that is not the
/// header stops reading with a <see cref="CanLogFormatException"/> (python-can silently drops the first line).
/// </remarks>
public sealed class CsvReader : TextLogReader
{
    /// <summary>Opens a file (a name ending in <c>.gz</c> is decompressed).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Reader settings.</param>
    public CsvReader(string path, CanLogReaderOptions? options = null)
        : this(LogFiles.OpenRead(path), options, leaveOpen: false, sourceName: path)
    {
    }

    /// <summary>Reads from a stream.</summary>
    /// <param name="stream">The stream, positioned at the start of the log.</param>
    /// <param name="options">Reader settings.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves the stream open.</param>
    /// <param name="sourceName">A name for error messages.</param>
    public CsvReader(Stream stream, CanLogReaderOptions? options = null, bool leaveOpen = false, string? sourceName = null)
        : base(stream, options, leaveOpen, sourceName, _ => new CsvLineParser())
    {
    }
}
