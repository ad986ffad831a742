namespace CanUdpMulticast.Registry;

/// <summary>
/// A small reader for python's <c>configparser</c> INI dialect as python-can uses it: <c>[section]</c> headers,
/// <c>key = value</c> or <c>key: value</c>, <c>#</c>/<c>;</c> comment lines, continuation lines indented deeper than
/// their key (blank lines between them stay in the value, as with configparser's <c>empty_lines_in_values</c>).
/// Keys keep their case, as python-can configures.
/// </summary>
internal sealed class IniFile
{
    private IniFile(string path) => Path = path;

    /// <summary>The file the values came from.</summary>
    public string Path { get; }

    /// <summary>Values per section name: key to (value, 1-based line number).</summary>
    public Dictionary<string, Dictionary<string, (string Value, int Line)>> Sections { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses the lines of an INI file.</summary>
    /// <param name="path">The file name, for errors and sources.</param>
    /// <param name="lines">The lines.</param>
    /// <returns>The parsed file.</returns>
    /// <exception cref="CanInitializationException">A line is neither a section, a key/value pair, a comment nor a continuation.</exception>
    public static IniFile Parse(string path, IEnumerable<string> lines)
    {
        var file = new IniFile(path);
        Dictionary<string, (string Value, int Line)>? section = null;
        string? lastKey = null;
        var lastKeyIndent = 0;
        var blankLines = 0;
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var trimmed = raw.Trim();
            if (trimmed.Length == 0)
            {
                // configparser keeps blank lines inside a value when an indented line continues it later.
                blankLines++;
                continue;
            }

            if (trimmed[0] is '#' or ';')
            {
                continue;
            }

            var indent = raw.Length - raw.TrimStart().Length;
            if (lastKey is not null && section is not null && indent > lastKeyIndent)
            {
                var (value, line) = section[lastKey];
                section[lastKey] = (value + new string('\n', blankLines + 1) + trimmed, line);
                blankLines = 0;
                continue;
            }

            blankLines = 0;

            if (trimmed[0] == '[')
            {
                if (!trimmed.EndsWith(']') || trimmed.Length < 3)
                {
                    throw new CanInitializationException($"{path}:{number}: '{trimmed}' is not a section header like [default].");
                }

                var name = trimmed[1..^1].Trim();
                if (!file.Sections.TryGetValue(name, out section))
                {
                    section = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
                    file.Sections[name] = section;
                }

                lastKey = null;
                continue;
            }

            var separator = trimmed.IndexOfAny(['=', ':']);
            if (separator <= 0)
            {
                throw new CanInitializationException($"{path}:{number}: '{trimmed}' is not 'key = value'.");
            }

            if (section is null)
            {
                throw new CanInitializationException($"{path}:{number}: 'key = value' before any [section] header.");
            }

            lastKey = trimmed[..separator].Trim();
            lastKeyIndent = indent;
            section[lastKey] = (trimmed[(separator + 1)..].Trim(), number);
        }

        return file;
    }
}
