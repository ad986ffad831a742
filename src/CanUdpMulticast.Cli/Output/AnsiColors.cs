namespace CanUdpMulticast.Cli.Output;

/// <summary>The few ANSI colour sequences the frame printers use (candump's <c>-c</c> palette).</summary>
internal static class AnsiColors
{
    public const string Reset = "\u001b[0m";
    public const string Dim = "\u001b[2m";
    public const string Bold = "\u001b[1m";
    public const string Red = "\u001b[1;31m";
    public const string Yellow = "\u001b[33m";

    /// <summary>Colours for interface names, one per distinct name in order of appearance.</summary>
    public static readonly string[] Channels =
    [
        "\u001b[1;31m", "\u001b[1;32m", "\u001b[1;33m", "\u001b[1;34m", "\u001b[1;35m", "\u001b[1;36m",
    ];

    /// <summary>Removes ANSI escape sequences (for tests and width computations).</summary>
    /// <param name="text">Text with escapes.</param>
    /// <returns>The text without them.</returns>
    public static string Strip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\u001b' && i + 1 < text.Length && text[i + 1] == '[')
            {
                i += 2;
                while (i < text.Length && !char.IsAsciiLetter(text[i]))
                {
                    i++;
                }

                continue;
            }

            sb.Append(text[i]);
        }

        return sb.ToString();
    }
}
