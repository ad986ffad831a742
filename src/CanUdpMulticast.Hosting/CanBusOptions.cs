namespace CanUdpMulticast.Hosting;

/// <summary>
/// How to open one bus through the interface registry: the interface name, the channel, backend options (python-can's
/// keyword arguments, any spelling: <c>hop_limit</c>, <c>HopLimit</c>, <c>hop-limit</c>) and filters. Filled from a
/// configuration section by <c>services.AddCanBus(name, section)</c>,
/// from code by the lambda form, or both.
/// </summary>
public sealed class CanBusOptions
{
    private readonly Dictionary<string, string> _sources = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _bindErrors = [];

    /// <summary>The registered interface name, e.g. <c>udp_multicast</c>, <c>virtual</c> or a plugin's name. Required.</summary>
    public string? Interface { get; set; }

    /// <summary>The channel (a multicast group, a virtual channel name); <see langword="null"/> for the backend's default.</summary>
    public string? Channel { get; set; }

    /// <summary>Backend options by key (python-can's keyword arguments); text values are converted when the bus opens.</summary>
    public IDictionary<string, object?> Options { get; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Acceptance filters applied when the bus opens (empty: every frame passes).</summary>
    public IList<CanFilter> Filters { get; } = [];

    /// <summary>The configuration section the values came from, e.g. <c>Can:Buses:main</c>; <see langword="null"/> when set in code.</summary>
    public string? SectionPath { get; set; }

    /// <summary>Where a value came from (a configuration path or <c>code</c>), for error messages.</summary>
    internal string SourceOf(string key) =>
        _sources.TryGetValue(key, out var source) ? source : SectionPath is null ? "code" : $"configuration section '{SectionPath}'";

    internal void SetSource(string key, string path) => _sources[key] = $"configuration '{path}'";

    /// <summary>Problems met while reading the section (e.g. a filter that does not parse), reported by validation.</summary>
    internal IReadOnlyList<string> BindErrors => _bindErrors;

    internal void AddBindError(string error) => _bindErrors.Add(error);
}
