using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Canutils;

/// <summary>
/// Reads can-utils' compact log format (<c>candump -L</c>, python-can's <c>CanutilsLogReader</c>, file suffix
/// <c>.log</c>): one frame per line, <c>(1700000000.123456) can0 123#DEADBEEF</c>, in the frame syntax of
/// <see cref="CanFrameText"/>, optionally followed by python-can's direction suffix <c>R</c> (received) or
/// <c>T</c> (sent). Streams the file; nothing is loaded whole.
/// </summary>
/// <remarks>
/// <para>A channel that is all digits becomes a numbered channel, any other a named one, as in python-can.</para>
/// <para>An id with <c>CAN_ERR_FLAG</c> (<c>0x20000000</c>) set is an error frame whose
/// <see cref="CanMessage.ArbitrationId"/> holds the socketcan error class bits (python-can 4.1 recognises only
/// ids with the bus-error bit <c>0x80</c> as error frames and drops their channel and data; this reader keeps
/// them). Blank lines are skipped; any other line that is not a frame is invalid (see
/// <see cref="CanLogReaderOptions.InvalidLines"/>).</para>
/// </remarks>
public sealed class CanutilsReader : TextLogReader
{
    /// <inheritdoc cref="TextLogReader(CanLogFile, CanLogReaderOptions?, Func{CanLogReaderOptions, LineParser})"/>
    public CanutilsReader(CanLogFile file, CanLogReaderOptions? options = null)
        : base(file, options, _ => new CanutilsLineParser())
    {
    }
}
