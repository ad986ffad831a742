using System.Globalization;
using CanUdpMulticast.IO;

namespace CanUdpMulticast.Cli.Generation;

/// <summary>Parses <c>gen</c>'s <c>--id</c>, <c>--length</c> and <c>--data</c> values: <c>random</c>/<c>r</c>, <c>increment</c>/<c>i</c>, or a value.</summary>
internal static class GeneratorOptionParser
{
    public static bool TryParseMode(string text, out GeneratorMode mode)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "r" or "random":
                mode = GeneratorMode.Random;
                return true;
            case "i" or "increment":
                mode = GeneratorMode.Increment;
                return true;
            default:
                mode = GeneratorMode.Fixed;
                return false;
        }
    }

    public static bool TryParseHexId(string text, out uint id)
    {
        var s = text.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }

        return uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id);
    }

    public static bool TryParseHexData(string text, out byte[] data)
    {
        // Reuse the frame parser for the byte syntax (pairs of hex digits, '.' allowed), in FD size.
        if (CanFrameText.TryParse("000##0" + text.Trim(), out var message, out _))
        {
            data = message.ToArray();
            return true;
        }

        data = [];
        return false;
    }
}
