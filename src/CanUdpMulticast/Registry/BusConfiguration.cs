using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Registry;

/// <summary>
/// Everything needed to open a bus by name: the interface, the channel and backend options (python-can's
/// keyword arguments). Option keys match whatever their spelling: <c>receive_own_messages</c>,
/// <c>ReceiveOwnMessages</c> and <c>receive-own-messages</c> are one key. Each value remembers where it came
/// from, so a bad value gets an error naming the key, the value and the source.
/// </summary>
/// <remarks>
/// A misspelt key never passes silently: the configuration remembers which keys the interface's factory asked for,
/// and when a bus is opened through <see cref="CanInterfaceRegistry"/>, an option nobody asked for fails the open with
/// <see cref="CanConfigurationException"/> naming the key and the closest valid one, or, when it came from the
/// environment or a config file (where python-can users keep keys of other interfaces), is logged as a warning.
/// python-can's generic <c>bitrate</c> and <c>data_bitrate</c> are accepted by every interface.
/// </remarks>
public sealed class BusConfiguration
{
    /// <summary>The source recorded for values set in code.</summary>
    public const string CodeSource = "code";

    // Keys every interface accepts (python-can's generic BusABC keywords; CAN_BITRATE feeds "bitrate").
    private static readonly HashSet<string> GenericKeys = new(StringComparer.Ordinal) { "bitrate", "databitrate" };

    private readonly Dictionary<string, Entry> _options = new(StringComparer.Ordinal);

    // The keys asked for (normalized -> spelling as asked), i.e. the keys the interface knows.
    private readonly Dictionary<string, string> _asked = new(StringComparer.Ordinal);
    private bool _unusedChecked;

    /// <summary>Creates a configuration.</summary>
    /// <param name="interfaceName">The interface name, e.g. <c>"udp_multicast"</c> or <c>"virtual"</c>.</param>
    /// <param name="channel">The channel, e.g. a multicast group or a virtual channel name.</param>
    /// <param name="options">Backend options.</param>
    public BusConfiguration(string? interfaceName = null, string? channel = null, IEnumerable<KeyValuePair<string, object?>>? options = null)
    {
        Interface = interfaceName;
        Channel = channel;
        if (options is not null)
        {
            foreach (var (key, value) in options)
            {
                Set(key, value);
            }
        }
    }

    /// <summary>The interface name (python-can's <c>interface</c>).</summary>
    public string? Interface { get; set; }

    /// <summary>The channel; <see langword="null"/> lets the backend use its default.</summary>
    public string? Channel { get; set; }

    /// <summary>Where <see cref="Interface"/> came from.</summary>
    public string InterfaceSource { get; set; } = CodeSource;

    /// <summary>Where <see cref="Channel"/> came from.</summary>
    public string ChannelSource { get; set; } = CodeSource;

    /// <summary>Acceptance filters to apply when the bus opens.</summary>
    public IReadOnlyList<CanFilter>? Filters { get; set; }

    /// <summary>The backend options by their original key (last spelling set wins).</summary>
    public IReadOnlyDictionary<string, object?> Options =>
        _options.Values.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    /// <summary>Sets a backend option.</summary>
    /// <param name="key">The key in any spelling (snake_case, PascalCase, kebab-case).</param>
    /// <param name="value">The value (string values from text sources are converted when read).</param>
    /// <param name="source">Where the value came from, for error messages.</param>
    public void Set(string key, object? value, string source = CodeSource) => Set(key, value, source, fromConfigSource: false);

    /// <summary>Sets an option; <paramref name="fromConfigSource"/> marks values from the environment or a config file.</summary>
    internal void Set(string key, object? value, string source, bool fromConfigSource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(source);
        _options[Normalize(key)] = new Entry(key, value, source, fromConfigSource);
    }

    /// <summary>Whether an option came from the environment or a config file.</summary>
    internal bool IsFromConfigSource(string key) => _options.TryGetValue(Normalize(key), out var entry) && entry.FromConfigSource;

    /// <summary>Whether an option is set.</summary>
    /// <param name="key">The key in any spelling.</param>
    /// <returns>Whether it is set.</returns>
    public bool Contains(string key) => Find(key, out _);

    /// <summary>Removes an option.</summary>
    /// <param name="key">The key in any spelling.</param>
    /// <returns>Whether it was set.</returns>
    public bool Remove(string key) => _options.Remove(Normalize(key));

    /// <summary>Reads an option as it was set.</summary>
    /// <param name="key">The key in any spelling.</param>
    /// <param name="value">The value.</param>
    /// <returns>Whether it is set.</returns>
    public bool TryGetValue(string key, out object? value)
    {
        if (Find(key, out var entry))
        {
            value = entry.Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Where an option came from, or <see langword="null"/> when it is not set.</summary>
    /// <param name="key">The key in any spelling.</param>
    /// <returns>The source.</returns>
    public string? SourceOf(string key) => _options.TryGetValue(Normalize(key), out var entry) ? entry.Source : null;

    /// <summary>Reads an option as text.</summary>
    /// <param name="key">The key in any spelling.</param>
    /// <param name="defaultValue">The value when it is not set.</param>
    /// <returns>The text.</returns>
    public string? GetString(string key, string? defaultValue = null)
    {
        if (!Find(key, out var entry) || entry.Value is null)
        {
            return defaultValue;
        }

        return entry.Value switch
        {
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => entry.Value.ToString(),
        };
    }

    /// <summary>Reads an option as a whole number within a range.</summary>
    /// <param name="key">The key in any spelling.</param>
    /// <param name="defaultValue">The value when it is not set.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The number.</returns>
    /// <exception cref="CanInitializationException">The value is not a whole number in range; the message names the key, the value and its source.</exception>
    public long GetInt64(string key, long defaultValue, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!Find(key, out var entry) || entry.Value is null)
        {
            return defaultValue;
        }

        long result;
        switch (entry.Value)
        {
            case long l: result = l; break;
            case int i: result = i; break;
            case short s: result = s; break;
            case byte b: result = b; break;
            case uint u: result = u; break;
            // 2^63 is the first double above long.MaxValue ((double)long.MaxValue rounds up to it).
            case double d when Math.Abs(d % 1) == 0 && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18: result = (long)d; break;
            case string text when long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed): result = parsed; break;
            case string text when text.Trim().StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(text.Trim()[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex): result = hex; break;
            default: throw Invalid(entry, "a whole number");
        }

        if (result < min || result > max)
        {
            throw Invalid(entry, $"a whole number from {min} to {max}");
        }

        return result;
    }

    /// <summary>Reads an option as an <see cref="int"/> within a range.</summary>
    /// <param name="key">The key in any spelling.</param>
    /// <param name="defaultValue">The value when it is not set.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The number.</returns>
    /// <exception cref="CanInitializationException">The value is not a whole number in range.</exception>
    public int GetInt32(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        (int)GetInt64(key, defaultValue, min, max);

    /// <summary>Reads an option as a number.</summary>
    /// <param name="key">The key in any spelling.</param>
    /// <param name="defaultValue">The value when it is not set.</param>
    /// <returns>The number.</returns>
    /// <exception cref="CanInitializationException">The value is not a number.</exception>
    public double GetDouble(string key, double defaultValue)
    {
        if (!Find(key, out var entry) || entry.Value is null)
        {
            return defaultValue;
        }

        return entry.Value switch
        {
            double d => d,
            float f => f,
            long l => l,
            int i => i,
            string text when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw Invalid(entry, "a number"),
        };
    }

    /// <summary>Reads an option as a boolean: <c>true/false</c>, <c>yes/no</c>, <c>on/off</c>, <c>1/0</c>.</summary>
    /// <param name="key">The key in any spelling.</param>
    /// <param name="defaultValue">The value when it is not set.</param>
    /// <returns>The boolean.</returns>
    /// <exception cref="CanInitializationException">The value is not a boolean.</exception>
    public bool GetBoolean(string key, bool defaultValue)
    {
        if (!Find(key, out var entry) || entry.Value is null)
        {
            return defaultValue;
        }

        return entry.Value switch
        {
            bool b => b,
            long l when l is 0 or 1 => l == 1,
            int i when i is 0 or 1 => i == 1,
            string text => text.Trim().ToUpperInvariant() switch
            {
                "TRUE" or "YES" or "ON" or "1" => true,
                "FALSE" or "NO" or "OFF" or "0" => false,
                _ => throw Invalid(entry, "true or false"),
            },
            _ => throw Invalid(entry, "true or false"),
        };
    }

    /// <summary>Reads an option as a duration in seconds (python-can's unit for timeouts and periods).</summary>
    /// <param name="key">The key in any spelling.</param>
    /// <param name="defaultValue">The value when it is not set.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="CanInitializationException">The value is not a non-negative number of seconds.</exception>
    public TimeSpan GetSeconds(string key, TimeSpan defaultValue)
    {
        if (!Contains(key))
        {
            return defaultValue;
        }

        if (TryGetValue(key, out var raw) && raw is TimeSpan span)
        {
            return span;
        }

        var seconds = GetDouble(key, defaultValue.TotalSeconds);
        if (seconds < 0 || double.IsNaN(seconds) || double.IsInfinity(seconds))
        {
            throw Invalid(_options[Normalize(key)], "a non-negative number of seconds");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Reads an option as an enum value, by name (any case, underscores ignored) or number.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="key">The key in any spelling.</param>
    /// <param name="defaultValue">The value when it is not set.</param>
    /// <returns>The enum value.</returns>
    /// <exception cref="CanInitializationException">The value names no member of <typeparamref name="TEnum"/>.</exception>
    public TEnum GetEnum<TEnum>(string key, TEnum defaultValue)
        where TEnum : struct, Enum
    {
        if (!Find(key, out var entry) || entry.Value is null)
        {
            return defaultValue;
        }

        if (entry.Value is TEnum typed)
        {
            return typed;
        }

        var raw = entry.Value switch
        {
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => entry.Value.ToString() ?? string.Empty,
        };
        var text = Normalize(raw);
        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Normalize(value.ToString()), text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        if (long.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            foreach (var value in Enum.GetValues<TEnum>())
            {
                if (Convert.ToInt64(value, CultureInfo.InvariantCulture) == number)
                {
                    return value;
                }
            }
        }

        throw Invalid(entry, "one of " + string.Join(", ", Enum.GetNames<TEnum>()));
    }

    /// <summary>Builds the error for a bad option value.</summary>
    /// <param name="key">The key in any spelling.</param>
    /// <param name="expected">What the value should have been.</param>
    /// <returns>The exception to throw.</returns>
    public CanConfigurationException InvalidValue(string key, string expected) =>
        Find(key, out var entry)
            ? Invalid(entry, expected)
            : new CanConfigurationException($"Option '{key}' is not set; expected {expected}.", key);

    /// <summary>A copy whose values can be changed without changing this one.</summary>
    /// <returns>The copy.</returns>
    public BusConfiguration Clone()
    {
        var copy = new BusConfiguration(Interface, Channel)
        {
            InterfaceSource = InterfaceSource,
            ChannelSource = ChannelSource,
            Filters = Filters,
        };
        foreach (var (normalized, entry) in _options)
        {
            copy._options[normalized] = entry;
        }

        return copy;
    }

    /// <summary>The configuration as <c>interface=..., channel=..., key=value</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("interface=").Append(Interface ?? "(none)").Append(", channel=").Append(Channel ?? "(default)");
        foreach (var entry in _options.Values)
        {
            sb.Append(", ").Append(entry.Key).Append('=').Append(entry.Value switch
            {
                null => "None",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => entry.Value.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>The canonical form of a key: lower case without underscores, dashes or spaces.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The canonical key.</returns>
    internal static string Normalize(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sb = new StringBuilder(key.Length);
        foreach (var c in key)
        {
            if (c is not ('_' or '-' or ' '))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Fails for options given in code or on a command line that the interface never asked for, and logs those from
    /// the environment or a config file; once per configuration. Called by the registry after the factory ran, and by
    /// the built-in factories before they open anything.
    /// </summary>
    /// <param name="logger">Where unknown keys from the environment or config files are reported.</param>
    /// <exception cref="CanConfigurationException">An option given in code is unknown; the message names the closest valid key.</exception>
    internal void CheckUnusedOptions(ILogger logger)
    {
        List<string> known;
        List<Entry> unused;
        lock (_asked)
        {
            if (_unusedChecked)
            {
                return;
            }

            _unusedChecked = true;
            known = [.. _asked.Values.Order(StringComparer.Ordinal)];
            unused = [.. _options.Where(o => !_asked.ContainsKey(o.Key) && !GenericKeys.Contains(o.Key)).Select(o => o.Value)];
        }

        foreach (var entry in unused)
        {
            var suggestion = ClosestKey(entry.Key, known);
            var hint = suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?";
            var valid = known.Count == 0 ? "none" : string.Join(", ", known);
            if (entry.FromConfigSource)
            {
                BusConfigurationLog.UnknownOption(logger, entry.Key, entry.Source, Interface ?? "(none)", suggestion ?? "(none)");
                continue;
            }

            throw new CanConfigurationException(
                $"Option '{entry.Key}' (from {entry.Source}) is not an option of interface '{Interface}'{hint} Its options: {valid}.",
                entry.Key,
                suggestion);
        }
    }

    /// <summary>The known key closest to <paramref name="key"/> by edit distance (of the canonical forms), if close enough to be a typo.</summary>
    internal static string? ClosestKey(string key, IEnumerable<string> known)
    {
        var target = Normalize(key);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = EditDistance.Between(target, Normalize(candidate));
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // A typo changes a few letters; beyond a third of the key it is a different word.
        return best is not null && bestDistance <= Math.Max(2, target.Length / 3) ? best : null;
    }

    private bool Find(string key, out Entry entry)
    {
        var normalized = Normalize(key);
        lock (_asked)
        {
            _asked.TryAdd(normalized, key);
        }

        return _options.TryGetValue(normalized, out entry);
    }

    private static CanConfigurationException Invalid(Entry entry, string expected) =>
        new($"Option '{entry.Key}' has the value '{entry.Value}' (from {entry.Source}), but it must be {expected}.", entry.Key);

    private readonly record struct Entry(string Key, object? Value, string Source, bool FromConfigSource = false);
}
