using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CanUdpMulticast.Registry;

/// <summary>
/// Fills a configuration from python-can's sources. The first source that has a value wins:
/// explicit values, then the environment with the context suffix (<c>CAN_INTERFACE_&lt;ctx&gt;</c> ...), then the
/// environment (<c>CAN_CONFIG</c> JSON, then <c>CAN_INTERFACE</c>, <c>CAN_CHANNEL</c>, <c>CAN_BITRATE</c>), then the
/// config files' <c>[&lt;ctx&gt;]</c> section, then their <c>[default]</c> section.
/// </summary>
/// <remarks>
/// Config files are INI files read in order, later files overriding earlier ones: on Linux and macOS
/// <c>~/can.conf</c>, <c>/etc/can.conf</c>, <c>~/.can</c>, <c>~/.canrc</c>; on Windows <c>~/can.conf</c>,
/// <c>can.ini</c> in the working folder and <c>%APPDATA%/can.ini</c>. Text values are converted as python-can's
/// <c>cast_from_string</c> does: whole numbers to <see cref="long"/>, decimals to <see cref="double"/>,
/// <c>true</c>/<c>false</c> (any case) to <see cref="bool"/>; anything else stays text.
/// </remarks>
public sealed partial class BusConfigurationLoader
{
    /// <summary>The loader used by <see cref="CanBus.Create(string?, string?, IReadOnlyDictionary{string, object?}?, string?, bool, Microsoft.Extensions.Logging.ILoggerFactory?)"/>: the process environment and the standard files.</summary>
    public static BusConfigurationLoader Default { get; } = new();

    /// <summary>Reads an environment variable; replace it to test or to sandbox.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The config files, in reading order (later files override earlier ones); missing files are skipped.</summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = DefaultConfigFiles();

    /// <summary>python-can's config file locations for this OS.</summary>
    /// <param name="home">The home folder; the user's by default.</param>
    /// <returns>The paths, in reading order.</returns>
    public static IReadOnlyList<string> DefaultConfigFiles(string? home = null)
    {
        home ??= Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
        {
            return
            [
                Path.Combine(home, "can.conf"),
                Path.Combine(Directory.GetCurrentDirectory(), "can.ini"),
                Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "can.ini"),
            ];
        }

        return [Path.Combine(home, "can.conf"), "/etc/can.conf", Path.Combine(home, ".can"), Path.Combine(home, ".canrc")];
    }

    /// <summary>Completes <paramref name="explicitConfig"/> with the environment and the config files.</summary>
    /// <param name="explicitConfig">Values given in code; they win over every other source.</param>
    /// <param name="context">The named section and environment suffix, or <see langword="null"/>.</param>
    /// <returns>A new, merged configuration; each value records its source.</returns>
    /// <exception cref="CanInitializationException">A config file or <c>CAN_CONFIG</c> cannot be parsed; the message names the source and position.</exception>
    public BusConfiguration Load(BusConfiguration? explicitConfig = null, string? context = null)
    {
        var merged = new BusConfiguration();
        var files = ReadFiles();
        Apply(merged, files, "default");
        if (!string.IsNullOrEmpty(context))
        {
            Apply(merged, files, context);
        }

        ApplyEnvironment(merged, suffix: string.Empty);
        if (!string.IsNullOrEmpty(context))
        {
            ApplyEnvironment(merged, suffix: "_" + context);
        }

        if (explicitConfig is not null)
        {
            if (explicitConfig.Interface is not null)
            {
                merged.Interface = explicitConfig.Interface;
                merged.InterfaceSource = explicitConfig.InterfaceSource;
            }

            if (explicitConfig.Channel is not null)
            {
                merged.Channel = explicitConfig.Channel;
                merged.ChannelSource = explicitConfig.ChannelSource;
            }

            foreach (var (key, value) in explicitConfig.Options)
            {
                var source = explicitConfig.SourceOf(key) ?? BusConfiguration.CodeSource;
                if (BusConfiguration.Normalize(key) == "bustype")
                {
                    // python-can's deprecated alias: it names the interface unless the interface is given too.
                    if (explicitConfig.Interface is null && value is not null)
                    {
                        merged.Interface = Convert.ToString(value, CultureInfo.InvariantCulture);
                        merged.InterfaceSource = source;
                    }

                    continue;
                }

                merged.Set(key, value, source, explicitConfig.IsFromConfigSource(key));
            }
        }

        // Filters given as a property in code beat a can_filters option from any source.
        merged.Filters = explicitConfig?.Filters;
        ExtractFilters(merged);
        return merged;
    }

    /// <summary>python-can's <c>cast_from_string</c>: whole number, decimal, boolean, or the text itself.</summary>
    /// <param name="text">The text.</param>
    /// <returns>A <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or the text.</returns>
    internal static object CastFromString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // python's `$` also matches before a final "\n", which int() and float() then ignore: allow that trailing white space.
        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return text;
    }

    private static void Apply(BusConfiguration target, List<IniFile> files, string section)
    {
        foreach (var file in files)
        {
            if (file.Sections.TryGetValue(section, out var values))
            {
                var hasInterface = values.Any(v => BusConfiguration.Normalize(v.Key) == "interface" && v.Value.Value.Length > 0);
                foreach (var (key, (value, line)) in values)
                {
                    if (hasInterface && BusConfiguration.Normalize(key) == "bustype")
                    {
                        continue;
                    }

                    Set(target, key, value, $"{file.Path}:{line} [{section}]");
                }
            }
        }
    }

    private void ApplyEnvironment(BusConfiguration target, string suffix)
    {
        var json = GetEnvironmentVariable("CAN_CONFIG" + suffix);
        if (!string.IsNullOrWhiteSpace(json))
        {
            ApplyJson(target, json, "environment variable CAN_CONFIG" + suffix);
        }

        foreach (var (variable, key) in new[] { ("CAN_INTERFACE", "interface"), ("CAN_CHANNEL", "channel"), ("CAN_BITRATE", "bitrate") })
        {
            // python-can: `if config_option:`, so a variable that is set but empty is ignored.
            var value = GetEnvironmentVariable(variable + suffix);
            if (!string.IsNullOrEmpty(value))
            {
                Set(target, key, value, "environment variable " + variable + suffix);
            }
        }
    }

    private static void ApplyJson(BusConfiguration target, string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new CanInitializationException($"The {source} is not valid JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CanInitializationException($"The {source} must be a JSON object such as {{\"interface\": \"virtual\"}}, not {document.RootElement.ValueKind}.");
            }

            var hasInterface = document.RootElement.EnumerateObject().Any(p =>
                BusConfiguration.Normalize(p.Name) == "interface" && p.Value.ValueKind != JsonValueKind.Null && !(p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Length == 0));
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.IsNullOrWhiteSpace(property.Name))
                {
                    throw new CanInitializationException($"The {source} has an empty key (value {property.Value.GetRawText()}); every key names an option.");
                }

                if (hasInterface && BusConfiguration.Normalize(property.Name) == "bustype")
                {
                    continue;
                }

                object? value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number when property.Value.TryGetInt64(out var l) => l,
                    JsonValueKind.Number => property.Value.GetDouble(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
                if (value is string text)
                {
                    Set(target, property.Name, text, source);
                }
                else
                {
                    SetTyped(target, property.Name, value, source);
                }
            }
        }
    }

    private static void Set(BusConfiguration target, string key, string text, string source)
    {
        switch (BusConfiguration.Normalize(key))
        {
            case "interface" or "bustype":
                target.Interface = text;
                target.InterfaceSource = source;
                break;
            case "channel":
                target.Channel = text;
                target.ChannelSource = source;
                break;
            default:
                target.Set(key, CastFromString(text), source, fromConfigSource: true);
                break;
        }
    }

    private static void SetTyped(BusConfiguration target, string key, object? value, string source)
    {
        switch (BusConfiguration.Normalize(key))
        {
            case "interface" or "bustype":
                target.Interface = Convert.ToString(value, CultureInfo.InvariantCulture);
                target.InterfaceSource = source;
                break;
            case "channel":
                target.Channel = Convert.ToString(value, CultureInfo.InvariantCulture);
                target.ChannelSource = source;
                break;
            default:
                target.Set(key, value, source, fromConfigSource: true);
                break;
        }
    }

    /// <summary>
    /// Moves python-can's <c>can_filters</c> option into <see cref="BusConfiguration.Filters"/>: a list of
    /// <see cref="CanFilter"/>, a JSON list of <c>{"can_id", "can_mask", "extended"}</c> or the text <c>"id:mask,id~mask"</c>.
    /// Filters already set on the configuration win over the option.
    /// </summary>
    /// <param name="config">The configuration to change.</param>
    /// <exception cref="CanInitializationException">The option cannot be read as filters.</exception>
    internal static void ExtractFilters(BusConfiguration config)
    {
        if (!config.TryGetValue("can_filters", out var raw))
        {
            return;
        }

        var source = config.SourceOf("can_filters");
        config.Remove("can_filters");
        if (config.Filters is not null || raw is null)
        {
            return;
        }

        if (raw is IEnumerable<CanFilter> given)
        {
            config.Filters = [.. given];
            return;
        }

        var text = Convert.ToString(raw, CultureInfo.InvariantCulture)!;
        IReadOnlyList<CanFilter> filters;
        try
        {
            filters = CanFilter.ParseList(text);
        }
        catch (FormatException ex)
        {
            throw new CanConfigurationException($"Option 'can_filters' (from {source}): {ex.Message}", "can_filters", innerException: ex);
        }

        config.Filters = filters;
    }

    private List<IniFile> ReadFiles()
    {
        List<IniFile> files = [];
        foreach (var path in ConfigFiles)
        {
            if (File.Exists(path))
            {
                files.Add(IniFile.Parse(path, File.ReadAllLines(path)));
            }
        }

        return files;
    }

    [GeneratedRegex(@"^[-+]?\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?\d*\.\d+(e[-+]?\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
