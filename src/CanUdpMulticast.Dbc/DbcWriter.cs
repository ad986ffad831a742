using System.Globalization;
using System.Text;

namespace CanUdpMulticast.Dbc;

/// <summary>Writes a database as DBC text in the usual section order, so that parsing it gives the same database.</summary>
internal static class DbcWriter
{
    private static readonly string[] NewSymbols =
    [
        "NS_DESC_", "CM_", "BA_DEF_", "BA_", "VAL_", "CAT_DEF_", "CAT_", "FILTER", "BA_DEF_DEF_", "EV_DATA_", "ENVVAR_DATA_",
        "SGTYPE_", "SGTYPE_VAL_", "BA_DEF_SGTYPE_", "BA_SGTYPE_", "SIG_TYPE_REF_", "VAL_TABLE_", "SIG_GROUP_", "SIG_VALTYPE_",
        "SIGTYPE_VALTYPE_", "BO_TX_BU_", "BA_DEF_REL_", "BA_REL_", "BA_DEF_DEF_REL_", "BU_SG_REL_", "BU_EV_REL_", "BU_BO_REL_",
        "SG_MUL_VAL_",
    ];

    public static string Write(DbcDatabase db)
    {
        var sb = new StringBuilder();
        sb.Append("VERSION ").Append(DbcFormat.Quote(db.Version)).Append("\n\n\nNS_ :\n");
        foreach (var symbol in NewSymbols)
        {
            sb.Append('\t').Append(symbol).Append('\n');
        }

        sb.Append("\nBS_:\n\nBU_:");
        foreach (var node in db.Nodes)
        {
            sb.Append(' ').Append(node.Name);
        }

        sb.Append("\n\n");
        foreach (var (name, table) in db.ValueTables)
        {
            sb.Append("VAL_TABLE_ ").Append(name);
            AppendChoices(sb, table);
            sb.Append(";\n");
        }

        var all = db.IndependentSignalMessage is { } independent ? [.. db.Messages, independent] : db.Messages.ToList();
        foreach (var m in all)
        {
            sb.Append("\nBO_ ").Append(DbcId(m)).Append(' ').Append(m.Name).Append(": ").Append(m.Length.ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(m.Sender).Append('\n');
            foreach (var s in m.Signals)
            {
                AppendSignal(sb, s);
            }
        }

        sb.Append('\n');
        foreach (var m in all.Where(m => m.Transmitters.Count > 0))
        {
            sb.Append("BO_TX_BU_ ").Append(DbcId(m)).Append(" : ").AppendJoin(',', m.Transmitters).Append(";\n");
        }

        AppendComments(sb, db, all);
        AppendAttributes(sb, db, all);
        foreach (var m in all)
        {
            foreach (var s in m.Signals.Where(s => s.Choices.Count > 0))
            {
                sb.Append("VAL_ ").Append(DbcId(m)).Append(' ').Append(s.Name);
                AppendChoices(sb, s.Choices);
                sb.Append(";\n");
            }
        }

        foreach (var m in all)
        {
            foreach (var g in m.SignalGroups)
            {
                sb.Append("SIG_GROUP_ ").Append(DbcId(m)).Append(' ').Append(g.Name).Append(' ')
                    .Append(g.Repetitions.ToString(CultureInfo.InvariantCulture)).Append(" :");
                foreach (var name in g.SignalNames)
                {
                    sb.Append(' ').Append(name);
                }

                sb.Append(";\n");
            }
        }

        foreach (var m in all)
        {
            foreach (var s in m.Signals.Where(s => s.ValueType != DbcValueType.Integer))
            {
                sb.Append("SIG_VALTYPE_ ").Append(DbcId(m)).Append(' ').Append(s.Name).Append(" : ")
                    .Append(s.ValueType == DbcValueType.Float32 ? '1' : '2').Append(";\n");
            }
        }

        foreach (var m in all)
        {
            foreach (var s in m.Signals.Where(s => s.HasExtendedMultiplexing && s.MultiplexerSwitch is not null))
            {
                sb.Append("SG_MUL_VAL_ ").Append(DbcId(m)).Append(' ').Append(s.Name).Append(' ').Append(s.MultiplexerSwitch!.Name).Append(' ')
                    .AppendJoin(", ", s.MultiplexerRanges.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Minimum}-{r.Maximum}")))
                    .Append(";\n");
            }
        }

        return sb.ToString();
    }

    private static string DbcId(DbcMessage m) =>
        (m.IsExtendedId ? m.Id | 0x8000_0000u : m.Id).ToString(CultureInfo.InvariantCulture);

    private static void AppendSignal(StringBuilder sb, DbcSignal s)
    {
        sb.Append(" SG_ ").Append(s.Name).Append(' ');
        var muxValue = s.MultiplexerRanges.Count > 0 ? s.MultiplexerRanges[0].Minimum : s.LineMultiplexValue;
        if (s.MultiplexerSwitch is not null || s.LineMultiplexValue is not null)
        {
            sb.Append('m').Append(muxValue?.ToString(CultureInfo.InvariantCulture));
            if (s.IsMultiplexer)
            {
                sb.Append('M');
            }

            sb.Append(' ');
        }
        else if (s.IsMultiplexer)
        {
            sb.Append("M ");
        }

        sb.Append(": ").Append(s.StartBit.ToString(CultureInfo.InvariantCulture)).Append('|').Append(s.Length.ToString(CultureInfo.InvariantCulture))
            .Append('@').Append(s.ByteOrder == DbcByteOrder.LittleEndian ? '1' : '0').Append(s.IsSigned ? '-' : '+')
            .Append(" (").Append(DbcFormat.Number(s.Factor)).Append(',').Append(DbcFormat.Number(s.Offset)).Append(") [")
            .Append(DbcFormat.Number(s.Minimum)).Append('|').Append(DbcFormat.Number(s.Maximum)).Append("] ")
            .Append(DbcFormat.Quote(s.Unit)).Append(' ')
            .AppendJoin(',', s.Receivers.Count == 0 ? ["Vector__XXX"] : s.Receivers).Append('\n');
    }

    private static void AppendChoices(StringBuilder sb, IReadOnlyDictionary<long, string> choices)
    {
        foreach (var (key, text) in choices)
        {
            sb.Append(' ').Append(key.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(DbcFormat.Quote(text));
        }

        sb.Append(' ');
    }

    private static void AppendComments(StringBuilder sb, DbcDatabase db, IReadOnlyList<DbcMessage> all)
    {
        if (db.Comment is not null)
        {
            sb.Append("CM_ ").Append(DbcFormat.Quote(db.Comment)).Append(";\n");
        }

        foreach (var n in db.Nodes.Where(n => n.Comment is not null))
        {
            sb.Append("CM_ BU_ ").Append(n.Name).Append(' ').Append(DbcFormat.Quote(n.Comment!)).Append(";\n");
        }

        foreach (var m in all)
        {
            if (m.Comment is not null)
            {
                sb.Append("CM_ BO_ ").Append(DbcId(m)).Append(' ').Append(DbcFormat.Quote(m.Comment)).Append(";\n");
            }

            foreach (var s in m.Signals.Where(s => s.Comment is not null))
            {
                sb.Append("CM_ SG_ ").Append(DbcId(m)).Append(' ').Append(s.Name).Append(' ').Append(DbcFormat.Quote(s.Comment!)).Append(";\n");
            }
        }
    }

    private static void AppendAttributes(StringBuilder sb, DbcDatabase db, IReadOnlyList<DbcMessage> all)
    {
        foreach (var d in db.AttributeDefinitions)
        {
            sb.Append("BA_DEF_ ").Append(d.ObjectType switch
            {
                DbcAttributeObjectType.Node => "BU_ ",
                DbcAttributeObjectType.Message => "BO_ ",
                DbcAttributeObjectType.Signal => "SG_ ",
                DbcAttributeObjectType.EnvironmentVariable => "EV_ ",
                _ => string.Empty,
            }).Append(' ').Append(DbcFormat.Quote(d.Name)).Append(' ');
            switch (d.ValueType)
            {
                case DbcAttributeValueType.Integer:
                case DbcAttributeValueType.Hex:
                case DbcAttributeValueType.Float:
                    sb.Append(d.ValueType switch { DbcAttributeValueType.Integer => "INT", DbcAttributeValueType.Hex => "HEX", _ => "FLOAT" })
                        .Append(' ').Append(DbcFormat.Number(d.Minimum)).Append(' ').Append(DbcFormat.Number(d.Maximum));
                    break;
                case DbcAttributeValueType.String:
                    sb.Append("STRING ");
                    break;
                default:
                    sb.Append("ENUM ").AppendJoin(',', d.EnumValues.Select(DbcFormat.Quote));
                    break;
            }

            sb.Append(";\n");
        }

        foreach (var d in db.AttributeDefinitions.Where(d => d.Default is not null))
        {
            sb.Append("BA_DEF_DEF_ ").Append(DbcFormat.Quote(d.Name)).Append(' ').Append(d.Default!.Value.ToString()).Append(";\n");
        }

        AppendValues(sb, db.Attributes, string.Empty);
        foreach (var n in db.Nodes)
        {
            AppendValues(sb, n.Attributes, "BU_ " + n.Name + " ");
        }

        foreach (var m in all)
        {
            AppendValues(sb, m.Attributes, "BO_ " + DbcId(m) + " ");
            foreach (var s in m.Signals)
            {
                AppendValues(sb, s.Attributes, "SG_ " + DbcId(m) + " " + s.Name + " ");
            }
        }
    }

    private static void AppendValues(StringBuilder sb, DbcAttributes attributes, string target)
    {
        foreach (var (name, value) in attributes.Explicit)
        {
            sb.Append("BA_ ").Append(DbcFormat.Quote(name)).Append(' ').Append(target).Append(value.ToString()).Append(";\n");
        }
    }
}
