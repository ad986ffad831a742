using System.CommandLine.Parsing;
using System.Globalization;

namespace CanUdpMulticast.Cli.Options;

/// <summary>
/// Durations on the command line: a number with an optional unit (<c>us</c>, <c>ms</c>, <c>s</c>, <c>min</c>);
/// a bare number is in the option's own unit (seconds for most options, milliseconds for <c>gen --gap</c>
/// like cangen's <c>-g</c>).
/// </summary>
internal static class DurationParser
{
    /// <summary>Tries to parse a duration.</summary>
    /// <param name="text">The text, e.g. <c>1.5</c>, <c>200ms</c>, <c>50us</c>.</param>
    /// <param name="bareUnit">The unit of a bare number.</param>
    /// <param name="value">The duration.</param>
    /// <returns>Whether the text is a non-negative duration.</returns>
    public static bool TryParse(string text, TimeSpan bareUnit, out TimeSpan value)
    {
        value = default;
        var s = text.Trim();
        var unit = bareUnit;
        foreach (var (suffix, size) in Units)
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                s = s[..^suffix.Length];
                unit = size;
                break;
            }
        }

        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number) || number < 0)
        {
            return false;
        }

        var ticks = number * unit.Ticks;
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    /// <summary>A custom parser for a duration option.</summary>
    /// <param name="bareUnit">The unit of a bare number.</param>
    /// <returns>The parser.</returns>
    public static Func<ArgumentResult, TimeSpan?> Parser(TimeSpan bareUnit) => result =>
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (TryParse(token, bareUnit, out var value))
        {
            return value;
        }

        var unitName = bareUnit == TimeSpan.FromMilliseconds(1) ? "milliseconds" : "seconds";
        result.AddError($"'{token}' is not a duration: a non-negative number of {unitName}, or with a unit: 1.5s, 200ms, 50us.");
        return null;
    };

    private static readonly (string Suffix, TimeSpan Size)[] Units =
    [
        ("us", TimeSpan.FromTicks(10)),
        ("ms", TimeSpan.FromMilliseconds(1)),
        ("min", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
    ];
}
