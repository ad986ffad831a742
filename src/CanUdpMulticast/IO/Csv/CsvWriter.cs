using System.Buffers.Text;
using System.Globalization;
using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.IO.Csv;

/// <summary>
/// Writes CSV files in python-can's <c>CSVWriter</c> layout (<c>.csv</c>): the header
/// <c>timestamp,arbitration_id,extended,remote,error,dlc,data</c>, then per frame the timestamp with every digit
/// needed to read it back exactly (python's <c>repr</c>), the id as <c>0x</c> hex, the flags as 1/0, the DLC in
/// bytes and the data in base64.
/// </summary>
/// <remarks>
/// The layout cannot carry the channel, the direction, the FD flag, BRS or ESI (see <see cref="CsvReader"/>).
/// With <see cref="CanLogWriterOptions.Append"/> no header is written, as in python-can. Timestamps are written as
/// they are (no clamping). Not thread-safe.
/// </remarks>
public sealed class CsvWriter : TextLogWriter
{
    /// <inheritdoc cref="TextLogWriter(CanLogFile, CanLogWriterOptions?, string?)"/>
    public CsvWriter(CanLogFile file, CanLogWriterOptions? options = null)
        : base(file, options, singleHeaderFormat: null)
    {
        if (!Options.Append)
        {
            Output.Write(CsvLineParser.Header);
            Output.Write("\n"u8);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The frame breaks python-can's validity rules.</exception>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public override void Write(in CanMessage message)
    {
        // python-can's CSV writer writes every timestamp as it is (no clamping).
        Check(message);
        var span = Output.GetSpan(160);
        var pos = WritePythonFloat(span, message.Timestamp);
        span[pos++] = (byte)',';
        span[pos++] = (byte)'0';
        span[pos++] = (byte)'x';
        pos += WriteLowerHex(span[pos..], message.ArbitrationId);
        span[pos++] = (byte)',';
        span[pos++] = message.IsExtendedId ? (byte)'1' : (byte)'0';
        span[pos++] = (byte)',';
        span[pos++] = message.IsRemoteFrame ? (byte)'1' : (byte)'0';
        span[pos++] = (byte)',';
        span[pos++] = message.IsErrorFrame ? (byte)'1' : (byte)'0';
        span[pos++] = (byte)',';
        pos += AsciiText.WriteDecimal(span[pos..], message.Dlc);
        span[pos++] = (byte)',';
        Base64.EncodeToUtf8(message.Data, span[pos..], out _, out var encoded);
        pos += encoded;
        span[pos++] = (byte)'\n';
        Output.Advance(pos);
    }

    // python's hex(): lower case, no leading zeros.
    private static int WriteLowerHex(Span<byte> span, uint value)
    {
        var length = AsciiText.WriteHex(span, value, 1);
        for (var i = 0; i < length; i++)
        {
            span[i] = AsciiText.ToLower(span[i]);
        }

        return length;
    }

    // python's repr(float): the shortest text that reads back to the same double, with ".0" on whole numbers.
    private static int WritePythonFloat(Span<byte> span, double value)
    {
        if (double.IsNaN(value))
        {
            "nan"u8.CopyTo(span);
            return 3;
        }

        if (double.IsInfinity(value))
        {
            var text = value > 0 ? "inf"u8 : "-inf"u8;
            text.CopyTo(span);
            return text.Length;
        }

        value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture);
        var formatted = span[..written];
        var exponent = formatted.IndexOf((byte)'E');
        if (exponent >= 0)
        {
            formatted[exponent] = (byte)'e';
        }
        else if (formatted.IndexOf((byte)'.') < 0)
        {
            span[written++] = (byte)'.';
            span[written++] = (byte)'0';
        }

        return written;
    }
}
