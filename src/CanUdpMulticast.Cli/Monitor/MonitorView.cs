using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CanUdpMulticast.Cli.Monitor;

/// <summary>Renders a <see cref="MonitorTable"/> snapshot as a Spectre.Console table; changed bytes are highlighted.</summary>
internal static class MonitorView
{
    /// <summary>The style of a byte that changed in the last frame.</summary>
    public const string ChangedStyle = "bold black on yellow";

    public static IRenderable Render(IReadOnlyList<MonitorRow> rows, long total, TimeSpan elapsed, string busInfo, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("[bold]ID[/]").RightAligned());
        table.AddColumn(new TableColumn("[bold]Count[/]").RightAligned());
        table.AddColumn(new TableColumn("[bold]Period[/]").RightAligned());
        table.AddColumn(new TableColumn("[bold]DLC[/]").RightAligned());
        table.AddColumn(new TableColumn("[bold]Data[/]"));
        foreach (var row in rows)
        {
            table.AddRow(
                new Markup(Markup.Escape(FormatId(row))),
                new Text(row.Count.ToString("#,0", CultureInfo.InvariantCulture)),
                new Text(FormatPeriod(row.MeanPeriod)),
                new Text(row.Dlc.ToString(CultureInfo.InvariantCulture)),
                new Markup(FormatData(row)));
        }

        var quit = interactive ? " · q quits" : string.Empty;
        table.Title = new TableTitle(Markup.Escape($"canudp monitor · {busInfo}"));
        table.Caption = new TableTitle(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{total:#,0} frames · {rows.Count} ids · {elapsed.TotalSeconds:0.0} s{quit}")));
        return table;
    }

    public static string FormatId(MonitorRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.IsExtendedId
            ? row.Id.ToString("X8", CultureInfo.InvariantCulture)
            : row.Id.ToString("X3", CultureInfo.InvariantCulture);
    }

    public static string FormatPeriod(TimeSpan? period) =>
        period is { } p ? (p.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms") : "-";

    /// <summary>The data bytes as markup: changed bytes highlighted; remote and error frames as words.</summary>
    /// <param name="row">The row.</param>
    /// <returns>Spectre markup.</returns>
    public static string FormatData(MonitorRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.IsRemoteFrame)
        {
            return "[dim]remote request[/]";
        }

        var sb = new StringBuilder();
        if (row.IsErrorFrame)
        {
            sb.Append("[red]ERROR[/] ");
        }

        for (var i = 0; i < row.Data.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(i % 8 == 0 && row.IsFd ? "  " : " ");
            }

            var hex = row.Data[i].ToString("X2", CultureInfo.InvariantCulture);
            if ((row.ChangedBytes & (1UL << i)) != 0)
            {
                sb.Append('[').Append(ChangedStyle).Append(']').Append(hex).Append("[/]");
            }
            else
            {
                sb.Append(hex);
            }
        }

        return sb.ToString();
    }
}
