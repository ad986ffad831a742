using System.Text.RegularExpressions;

namespace CanUdpMulticast.Cli;

/// <summary>Turns System.CommandLine's parse messages into ones for people: human type names, "did you mean".</summary>
internal static partial class UsageMessages
{
    /// <summary>Whether an exception is System.CommandLine's conversion failure (thrown when a validator reads a value that did not parse).</summary>
    /// <param name="ex">The exception.</param>
    /// <returns>Whether it is a parse error of a typed option.</returns>
    public static bool IsConversionFailure(Exception ex) =>
        ex is InvalidOperationException && ex.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal);

    /// <summary>Replaces .NET type names (<c>System.Nullable`1[System.Int64]</c>) with what a user types.</summary>
    /// <param name="message">The parser's message.</param>
    /// <returns>The message for people.</returns>
    public static string Humanize(string message) =>
        ExpectedType().Replace(message, m => "as " + HumanTypeName(m.Groups["type"].Value));

    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="word"/>, if it looks like a typo of it.</summary>
    /// <param name="word">What the user typed.</param>
    /// <param name="candidates">The valid words.</param>
    /// <returns>The suggestion, or <see langword="null"/>.</returns>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(word, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, word.Length / 3) ? best : null;
    }

    private static string HumanTypeName(string type)
    {
        var inner = NullableOf().Match(type) is { Success: true } m ? m.Groups["inner"].Value : type;
        return inner switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" => "a whole number",
            "System.Byte" => "a whole number from 0 to 255",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a duration",
            "System.String" => "text",
            _ => "a value of type " + inner[(inner.LastIndexOf('.') + 1)..],
        };
    }

    // Levenshtein distance (commands and option names are short).
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"as expected type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>[^\]]+)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex NullableOf();
}
