using System.Globalization;
using System.Text;

namespace CanUdpMulticast.Dbc;

/// <summary>How numbers and strings are written in DBC text.</summary>
internal static class DbcFormat
{
    /// <summary>The shortest text that reads back as the same double, invariant culture.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A quoted DBC string; quotes and backslashes inside are escaped.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.Append('"').ToString();
    }
}
