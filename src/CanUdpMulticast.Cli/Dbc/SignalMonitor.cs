using System.Globalization;
using CanUdpMulticast.Cli.Monitor;
using CanUdpMulticast.Dbc;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CanUdpMulticast.Cli.Dbc;

/// <summary>
/// <c>monitor --dbc</c>: the last decoded value of every signal, one row per DBC message, with the signals whose value
/// changed in the last frame highlighted. Thread-safe: the receive loop adds, the view renders.
/// </summary>
internal sealed class SignalMonitor(DbcSet dbc)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Decodes a frame and records its signal values.</summary>
    /// <param name="frame">The frame.</param>
    public void Add(in CanMessage frame)
    {
        if (!dbc.TryDecode(frame, out var decoded))
        {
            return;
        }

        lock (_gate)
        {
            if (!_entries.TryGetValue(decoded.Message.Name, out var entry))
            {
                entry = new Entry();
                _entries[decoded.Message.Name] = entry;
            }

            entry.Count++;
            var changed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var signal in decoded.Signals)
            {
                if (!entry.Values.TryGetValue(signal.Signal.Name, out var old) || old.RawBits != signal.RawBits || !old.IsPresent)
                {
                    changed.Add(signal.Signal.Name);
                }

                entry.Values[signal.Signal.Name] = signal;
            }

            entry.Changed = entry.Count == 1 ? [] : changed;
            entry.Present = [.. decoded.Signals.Select(s => s.Signal.Name)];
        }
    }

    /// <summary>A table: message, count, and its present signals (changed ones highlighted).</summary>
    /// <returns>The renderable.</returns>
    public IRenderable Render()
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("[bold]Message[/]"));
        table.AddColumn(new TableColumn("[bold]Count[/]").RightAligned());
        table.AddColumn(new TableColumn("[bold]Signals[/]"));
        lock (_gate)
        {
            foreach (var (name, entry) in _entries)
            {
                var parts = entry.Present.Select(signalName =>
                {
                    var value = entry.Values[signalName];
                    var text = Markup.Escape($"{signalName}={value.FormatValue()}");
                    return entry.Changed.Contains(signalName) ? $"[{MonitorView.ChangedStyle}]{text}[/]" : text;
                });
                table.AddRow(new Markup(Markup.Escape(name)), new Text(entry.Count.ToString("#,0", CultureInfo.InvariantCulture)), new Markup(string.Join("  ", parts)));
            }
        }

        table.Title = new TableTitle("signals");
        return table;
    }

    private sealed class Entry
    {
        public Dictionary<string, DecodedSignal> Values { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Changed { get; set; } = [];

        public IReadOnlyList<string> Present { get; set; } = [];

        public long Count { get; set; }
    }
}
