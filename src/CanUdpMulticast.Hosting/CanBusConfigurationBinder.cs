using Microsoft.Extensions.Configuration;

namespace CanUdpMulticast.Hosting;

/// <summary>
/// Reads a bus's configuration section into <see cref="CanBusOptions"/> without reflection (trimming- and AOT-safe):
/// <c>Interface</c>, <c>Channel</c>, <c>Filters</c> (a list of <c>id:mask</c> / <c>id~mask</c> in hexadecimal) and every
/// other key as a backend option; an <c>Options</c> sub-section is read as backend options too.
/// </summary>
internal static class CanBusConfigurationBinder
{
    public static void Bind(IConfiguration section, CanBusOptions options)
    {
        options.SectionPath ??= (section as IConfigurationSection)?.Path;
        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "INTERFACE":
                    options.Interface = child.Value;
                    options.SetSource("Interface", child.Path);
                    break;
                case "CHANNEL":
                    options.Channel = child.Value;
                    options.SetSource("Channel", child.Path);
                    break;
                case "FILTERS":
                    BindFilters(child, options);
                    break;
                case "OPTIONS" when child.Value is null:
                    foreach (var option in child.GetChildren())
                    {
                        BindOption(option, options);
                    }

                    break;
                default:
                    BindOption(child, options);
                    break;
            }
        }
    }

    private static void BindOption(IConfigurationSection child, CanBusOptions options)
    {
        if (child.Value is null && child.GetChildren().Any())
        {
            options.AddBindError($"Key '{child.Key}' in configuration section '{options.SectionPath}' is a section, but a backend option must be a single value (at '{child.Path}').");
            return;
        }

        options.Options[child.Key] = child.Value;
        options.SetSource(child.Key, child.Path);
    }

    private static void BindFilters(IConfigurationSection filters, CanBusOptions options)
    {
        options.Filters.Clear();
        List<(string Path, string? Text)> items = filters.Value is { } single
            ? [(filters.Path, single)]
            : [.. filters.GetChildren().Select(c => (c.Path, c.Value))];
        foreach (var (path, text) in items)
        {
            if (CanFilter.TryParse(text, out var filter))
            {
                options.Filters.Add(filter);
            }
            else
            {
                options.AddBindError($"Key 'Filters' has the value '{text}' (configuration '{path}'), but a filter must be 'id:mask' or 'id~mask' in hexadecimal, e.g. '123:7FF'.");
            }
        }
    }
}
