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
    /// <inheritdoc cref="TextLogReader(CanLogFile, CanLogReaderOptions?, Func{CanLogReaderOptions, LineParser})"/>
    public CsvReader(CanLogFile file, CanLogReaderOptions? options = null)
        : base(file, options, _ => new CsvLineParser())
    {
    }
}
