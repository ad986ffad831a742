using System.Globalization;

namespace CanUdpMulticast.IO;

/// <summary>
/// The compact frame syntax of can-utils (<c>cansend</c> arguments and <c>candump -L</c> log lines):
/// <c>123#DEADBEEF</c> (3 hex digits: standard id), <c>12345678#00</c> (8 hex digits: extended id),
/// <c>123#R</c> / <c>123#R4</c> (remote frame, optional DLC digit), <c>123##1112233</c> (CAN FD; the nibble after
/// <c>##</c> holds the flags BRS = 1, ESI = 2), <c>.</c> allowed between data bytes. An 8-digit id with bit 29
/// (<c>0x20000000</c>, <c>CAN_ERR_FLAG</c>) set is an error frame.
/// </summary>
public static class CanFrameText
{
    /// <summary>socketcan's <c>CAN_ERR_FLAG</c>: marks an error frame in the id.</summary>
    public const uint ErrorFlag = 0x2000_0000;

    /// <summary>CAN FD flag nibble bit: bitrate switch.</summary>
    public const int FdFlagBitrateSwitch = 0x1;

    /// <summary>CAN FD flag nibble bit: error state indicator.</summary>
    public const int FdFlagErrorStateIndicator = 0x2;

    private const string Examples = "examples: 123#DEADBEEF, 12345678#00, 123#R, 123#R4, 123##1112233";

    /// <summary>Parses a frame in cansend syntax.</summary>
    /// <param name="text">The frame text.</param>
    /// <returns>The frame (timestamp 0, no channel).</returns>
    /// <exception cref="FormatException">The text is not valid; the message says which part is wrong and shows examples.</exception>
    public static CanMessage Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var message, out var error) ? message : throw new FormatException(error);
    }

    /// <summary>Tries to parse a frame in cansend syntax.</summary>
    /// <param name="text">The frame text.</param>
    /// <param name="message">The frame when parsing succeeds.</param>
    /// <param name="error">Which part is wrong, when parsing fails.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out CanMessage message, out string error)
    {
        message = default;
        var hash = text.IndexOf('#');
        if (hash < 0)
        {
            error = $"'{text}' has no '#' between the id and the data ({Examples}).";
            return false;
        }

        var idText = text[..hash];
        if (idText.Length is not (3 or 8) || !uint.TryParse(idText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
        {
            error = $"the id '{idText}' must be 3 hex digits (standard) or 8 hex digits (extended) ({Examples}).";
            return false;
        }

        var extended = idText.Length == 8;
        var isError = false;
        if (extended && (id & ErrorFlag) != 0)
        {
            isError = true;
            id &= ~ErrorFlag;
        }

        if (extended ? id > 0x1FFF_FFFF : id > 0x7FF)
        {
            error = $"the id '{idText}' is too large: a standard id is at most 7FF, an extended id at most 1FFFFFFF.";
            return false;
        }

        var rest = text[(hash + 1)..];
        if (!rest.IsEmpty && rest[0] is 'R' or 'r')
        {
            if (isError)
            {
                error = $"an error frame cannot be a remote frame: the id '{idText}' has the error flag 20000000 set and the data is '{rest}'.";
                return false;
            }

            var dlc = 0;
            if (rest.Length > 2 || (rest.Length == 2 && !char.IsAsciiDigit(rest[1])) || (rest.Length == 2 && (dlc = rest[1] - '0') > 8))
            {
                error = $"the remote frame part '{rest}' must be R or R followed by one DLC digit 0..8 (e.g. 123#R4).";
                return false;
            }

            message = new CanMessage { ArbitrationId = id, IsExtendedId = extended, IsRemoteFrame = true, Dlc = dlc };
            error = string.Empty;
            return true;
        }

        var fd = false;
        var flags = 0;
        if (!rest.IsEmpty && rest[0] == '#')
        {
            if (rest.Length < 2 || !char.IsAsciiHexDigit(rest[1]))
            {
                error = $"a CAN FD frame needs one hex flags digit after '##' (BRS = 1, ESI = 2), e.g. 123##1112233; got '{rest}'.";
                return false;
            }

            fd = true;
            flags = HexValue(rest[1]);
            rest = rest[2..];
        }

        Span<byte> data = stackalloc byte[CanDlc.MaxFdLength];
        var length = 0;
        var max = fd ? CanDlc.MaxFdLength : CanDlc.MaxClassicLength;
        for (var i = 0; i < rest.Length;)
        {
            if (rest[i] == '.')
            {
                i++;
                continue;
            }

            if (i + 1 >= rest.Length || !char.IsAsciiHexDigit(rest[i]) || !char.IsAsciiHexDigit(rest[i + 1]))
            {
                error = $"the data '{rest}' must be pairs of hex digits, optionally separated by '.', e.g. 123#DE.AD.BE.EF; the problem is at '{rest[i..]}'.";
                return false;
            }

            if (length == max)
            {
                error = $"the data '{rest}' has more than {max} bytes, the most a {(fd ? "CAN FD" : "classic CAN")} frame carries.";
                return false;
            }

            data[length++] = (byte)((HexValue(rest[i]) << 4) | HexValue(rest[i + 1]));
            i += 2;
        }

        message = new CanMessage(id, data[..length], extended)
        {
            IsErrorFrame = isError,
            IsFd = fd,
            BitrateSwitch = fd && (flags & FdFlagBitrateSwitch) != 0,
            ErrorStateIndicator = fd && (flags & FdFlagErrorStateIndicator) != 0,
        };
        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Formats a frame in the same syntax, as <c>candump -L</c> does: upper-case hex, 3 id digits for standard and 8
    /// for extended ids (error frames: 8 digits with <see cref="ErrorFlag"/> set), <c>R</c>+DLC for remote frames,
    /// <c>##</c>+flags for CAN FD.
    /// </summary>
    /// <param name="message">The frame.</param>
    /// <returns>The text.</returns>
    public static string Format(in CanMessage message)
    {
        Span<char> buffer = stackalloc char[MaxFormattedLength];
        var written = Format(message, buffer);
        return new string(buffer[..written]);
    }

    /// <summary>The longest text <see cref="Format(in CanMessage, Span{char})"/> writes.</summary>
    public const int MaxFormattedLength = 8 + 3 + (2 * CanDlc.MaxFdLength);

    /// <summary>Formats a frame into a buffer without allocating (see <see cref="Format(in CanMessage)"/>).</summary>
    /// <param name="message">The frame.</param>
    /// <param name="destination">At least <see cref="MaxFormattedLength"/> characters.</param>
    /// <returns>The number of characters written.</returns>
    public static int Format(in CanMessage message, Span<char> destination)
    {
        var pos = 0;
        if (message.IsErrorFrame || message.IsExtendedId)
        {
            var id = message.IsErrorFrame ? message.ArbitrationId | ErrorFlag : message.ArbitrationId;
            id.TryFormat(destination, out var n, "X8", CultureInfo.InvariantCulture);
            pos += n;
        }
        else
        {
            message.ArbitrationId.TryFormat(destination, out var n, "X3", CultureInfo.InvariantCulture);
            pos += n;
        }

        destination[pos++] = '#';
        if (message.IsRemoteFrame)
        {
            destination[pos++] = 'R';
            if (message.Dlc > 0)
            {
                message.Dlc.TryFormat(destination[pos..], out var n, default, CultureInfo.InvariantCulture);
                pos += n;
            }

            return pos;
        }

        if (message.IsFd)
        {
            var flags = (message.BitrateSwitch ? FdFlagBitrateSwitch : 0) | (message.ErrorStateIndicator ? FdFlagErrorStateIndicator : 0);
            destination[pos++] = '#';
            destination[pos++] = "0123456789ABCDEF"[flags];
        }

        foreach (var b in message.Data)
        {
            destination[pos++] = "0123456789ABCDEF"[b >> 4];
            destination[pos++] = "0123456789ABCDEF"[b & 0xF];
        }

        return pos;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
