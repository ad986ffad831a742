using CanUdpMulticast.Dbc;

namespace CanUdpMulticast.Dbc.Tests;

public sealed class DbcWriterTests
{
    [Fact]
    public void ToDbcString_FeaturesFile_ParsesBackToAnEqualDatabase()
    {
        var original = DbcFiles.Features;

        var text = original.ToDbcString();
        var again = DbcDatabase.Parse(text);

        again.Warnings.Should().BeEmpty();
        again.ToDbcString().Should().Be(text, "writing is a fixed point after one round");
        Describe(again).Should().Equal(Describe(original));
    }

    [Fact]
    public void ToDbcString_GeneratedCrossCheckFile_ParsesBackToAnEqualDatabase()
    {
        var original = DbcDatabase.Parse(CrossCheckDbc.Text);

        var again = DbcDatabase.Parse(original.ToDbcString());

        original.Warnings.Should().BeEmpty();
        Describe(again).Should().Equal(Describe(original));
    }

    [Fact]
    public void Parse_VFrameFormatExtendedWithoutBit31_MakesTheMessageExtended()
    {
        var db = DbcDatabase.Parse(
            "BU_: A\nBO_ 1000 M: 8 A\n SG_ S : 0|8@1+ (1,0) [0|0] \"\" A\n\n"
            + "BA_DEF_ BO_ \"VFrameFormat\" ENUM \"StandardCAN\",\"ExtendedCAN\";\nBA_ \"VFrameFormat\" BO_ 1000 1;\n");

        db.Messages[0].IsExtendedId.Should().BeTrue();
        db.TryGetMessage(1000, isExtendedId: true, out _).Should().BeTrue();
        DbcDatabase.Parse(db.ToDbcString()).Messages[0].IsExtendedId.Should().BeTrue();
    }

    [Fact]
    public void Save_WritesWindows1252ThatLoadsBack()
    {
        var db = DbcDatabase.Parse("BU_: A\nBO_ 1 M: 8 A\n SG_ S : 0|8@1+ (1,0) [0|0] \"\u00b0C\" A\n");
        var path = Path.GetTempFileName();
        try
        {
            db.Save(path);
            File.ReadAllBytes(path).Should().Contain(0xB0);
            DbcDatabase.Load(path).Messages[0].Signals[0].Unit.Should().Be("\u00b0C");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Every parsed property of the database as text lines, to compare two databases.</summary>
    private static List<string> Describe(DbcDatabase db)
    {
        var lines = new List<string> { $"v {db.Version} {db.Comment} {db.BusType}" };
        lines.AddRange(db.Nodes.Select(n => $"node {n.Name} {n.Comment} {string.Join(',', n.Attributes.Explicit)}"));
        lines.AddRange(db.ValueTables.Select(t => $"table {t.Key} {string.Join(',', t.Value)}"));
        lines.AddRange(db.AttributeDefinitions.Select(d =>
            $"def {d.Name} {d.ObjectType} {d.ValueType} {d.Minimum} {d.Maximum} {string.Join(',', d.EnumValues)} {d.Default}"));
        var messages = db.IndependentSignalMessage is { } i ? [.. db.Messages, i] : db.Messages.ToList();
        foreach (var m in messages)
        {
            lines.Add($"msg {m.Id} {m.IsExtendedId} {m.Name} {m.Length} {m.Sender} {string.Join(',', m.Transmitters)} {m.Comment} "
                + $"{string.Join(',', m.Attributes.Explicit)} {m.CycleTime} {m.IsFd}");
            lines.AddRange(m.SignalGroups.Select(g => $"group {g.Name} {g.Repetitions} {string.Join(',', g.SignalNames)}"));
            lines.AddRange(m.Signals.Select(s =>
                $"sig {s.Name} {s.StartBit} {s.Length} {s.ByteOrder} {s.IsSigned} {s.ValueType} {s.Factor} {s.Offset} {s.Minimum} {s.Maximum} "
                + $"{s.Unit} {string.Join(',', s.Receivers)} {string.Join(',', s.Choices)} {s.Comment} {string.Join(',', s.Attributes.Explicit)} "
                + $"{s.IsMultiplexer} {s.MultiplexerSwitch?.Name} {string.Join(',', s.MultiplexerRanges)} {s.StartValue}"));
        }

        return lines;
    }
}
