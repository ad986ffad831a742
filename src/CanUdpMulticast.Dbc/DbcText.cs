using System.Text;

namespace CanUdpMulticast.Dbc;

/// <summary>The text encodings of DBC files: UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what Vector tools write).</summary>
internal static class DbcText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Windows code page 1252, the encoding of most DBC files written by Vector tools.</summary>
    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("Code page 1252 is not available.");

    /// <summary>Decodes the bytes of a DBC file: a UTF-8 byte order mark or valid UTF-8 reads as UTF-8, anything else as Windows-1252.</summary>
    /// <param name="bytes">The file content.</param>
    /// <returns>The text.</returns>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Windows1252.GetString(bytes);
        }
    }
}
