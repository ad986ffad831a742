using System.Text;
using CanUdpMulticast.Dbc;

namespace CanUdpMulticast.Dbc.Tests;

public sealed class DbcParserTests
{
    private const string Header = "VERSION \"\"\n\nNS_ :\n\tCM_\n\nBS_:\n\nBU_: A B\n\n";

    [Fact]
    public void Load_FeaturesFile_ReadsNodesMessagesAndSignals()
    {
        var db = DbcFiles.Features;

        db.Version.Should().Be("1.0");
        db.Nodes.Select(n => n.Name).Should().Equal("Engine", "Gateway", "Dashboard");
        db.Messages.Select(m => m.Name).Should().Equal("EngineData", "DiagExt", "FloatMsg", "ExtMux", "FdBig");
        db.Warnings.Should().BeEmpty();
        var engine = db.GetMessage("EngineData");
        engine.Id.Should().Be(200u);
        engine.IsExtendedId.Should().BeFalse();
        engine.Length.Should().Be(8);
        engine.Sender.Should().Be("Engine");
        engine.Transmitters.Should().Equal("Engine", "Gateway");
        var speed = engine.FindSignal("EngineSpeed")!;
        speed.StartBit.Should().Be(0);
        speed.Length.Should().Be(16);
        speed.ByteOrder.Should().Be(DbcByteOrder.LittleEndian);
        speed.IsSigned.Should().BeFalse();
        speed.Factor.Should().Be(0.25);
        speed.Maximum.Should().Be(16383.75);
        speed.Unit.Should().Be("rpm");
        speed.Receivers.Should().Equal("Dashboard", "Gateway");
        var torque = engine.FindSignal("Torque")!;
        torque.ByteOrder.Should().Be(DbcByteOrder.BigEndian);
        torque.IsSigned.Should().BeTrue();
        torque.Factor.Should().Be(-0.5);
        torque.Offset.Should().Be(10);
    }

    [Fact]
    public void Load_FeaturesFile_ReadsCommentsAttributesChoicesGroupsAndValueTypes()
    {
        var db = DbcFiles.Features;

        db.Comment.Should().Be("Test network");
        db.Nodes[0].Comment.Should().Be("The engine ECU");
        db.Nodes[0].Attributes.GetText("NodeLayerModules").Should().Be("CANoeILNLVector.dll");
        db.BusType.Should().Be("CAN FD");
        var engine = db.GetMessage("EngineData");
        engine.Comment.Should().Be("Engine state");
        engine.FindSignal("EngineSpeed")!.Comment.Should().Be("Crankshaft speed,\ntwo lines with a \"quote\"");
        engine.CycleTime.Should().Be(TimeSpan.FromMilliseconds(100));
        db.GetMessage("DiagExt").CycleTime.Should().BeNull("the default GenMsgCycleTime is 0");
        engine.FindSignal("EngineSpeed")!.StartValue.Should().Be(3200);
        engine.FindSignal("Throttle")!.StartValue.Should().Be(0, "BA_DEF_DEF_ gives the default");
        engine.FindSignal("Gear")!.Choices.Should().Contain(3, "Third").And.HaveCount(5);
        engine.SignalGroups.Should().ContainSingle().Which.SignalNames.Should().Equal("EngineSpeed", "Gear");
        db.ValueTables.Should().ContainSingle().Which.Key.Should().Be("GearTable");
        var floats = db.GetMessage("FloatMsg");
        floats.FindSignal("F32")!.ValueType.Should().Be(DbcValueType.Float32);
        floats.FindSignal("F64")!.ValueType.Should().Be(DbcValueType.Float64);
        floats.IsFd.Should().BeTrue();
        floats.Attributes.GetText("VFrameFormat").Should().Be("StandardCAN_FD");
        db.GetMessage("FdBig").Length.Should().Be(64);
        db.AttributeDefinitions.Single(d => d.Name == "VFrameFormat").EnumValues.Should().HaveCount(16);
    }

    [Fact]
    public void Load_ExtendedIdAndIndependentSignals_AreSeparated()
    {
        var db = DbcFiles.Features;

        var diag = db.GetMessage("DiagExt");
        diag.IsExtendedId.Should().BeTrue();
        diag.Id.Should().Be(0x18FEF1FEu);
        db.TryGetMessage(0x18FEF1FE, isExtendedId: true, out _).Should().BeTrue();
        db.TryGetMessage(0x18FEF1FE, isExtendedId: false, out _).Should().BeFalse();
        db.IndependentSignalMessage!.Signals.Should().ContainSingle().Which.Name.Should().Be("Orphan");
        db.Messages.Should().NotContain(m => m.Name == "VECTOR__INDEPENDENT_SIG_MSG");
    }

    [Fact]
    public void Load_Multiplexing_ResolvesSimpleAndExtendedSwitches()
    {
        var db = DbcFiles.Features;

        var diag = db.GetMessage("DiagExt");
        diag.Multiplexer!.Name.Should().Be("Mode");
        diag.FindSignal("Temp")!.MultiplexerSwitch!.Name.Should().Be("Mode");
        diag.FindSignal("Temp")!.MultiplexerRanges.Should().Equal(new DbcMultiplexRange(1, 1));
        diag.FindSignal("Always")!.IsMultiplexed.Should().BeFalse();
        var ext = db.GetMessage("ExtMux");
        ext.FindSignal("Sw2")!.IsMultiplexer.Should().BeTrue();
        ext.FindSignal("Sw2")!.MultiplexerSwitch!.Name.Should().Be("Sw1");
        ext.FindSignal("A")!.MultiplexerSwitch!.Name.Should().Be("Sw2");
        ext.FindSignal("A")!.MultiplexerRanges.Should().Equal(new DbcMultiplexRange(2, 2), new DbcMultiplexRange(4, 6));
        ext.FindSignal("B")!.MultiplexerRanges.Should().Equal(new DbcMultiplexRange(3, 5));
    }

    [Fact]
    public void Parse_SignalOutsideMessage_ThrowsWithFileLineAndColumn()
    {
        var text = Header + "BO_ 1 M: 2 A\n SG_ S : 12|8@1+ (1,0) [0|0] \"\" B\n";

        var act = () => DbcDatabase.Parse(text, "bad.dbc");

        var e = act.Should().Throw<DbcParseException>().Which;
        e.FileName.Should().Be("bad.dbc");
        e.Line.Should().Be(11);
        e.Column.Should().Be(10);
        e.Message.Should().StartWith("bad.dbc(11,10):").And.Contain("outside its 2-byte message M");
    }

    [Fact]
    public void Parse_MotorolaSignalRunningPastTheEnd_Throws()
    {
        // Start bit 7 is the MSB of byte 0; 17 bits reach into byte 2 of a 2-byte message.
        var text = Header + "BO_ 1 M: 2 A\n SG_ S : 7|17@0+ (1,0) [0|0] \"\" B\n";

        FluentActions.Invoking(() => DbcDatabase.Parse(text)).Should().Throw<DbcParseException>().WithMessage("*outside*");
    }

    [Fact]
    public void Parse_UnknownByteOrder_ThrowsAtTheByteOrder()
    {
        var text = Header + "BO_ 1 M: 8 A\n SG_ S : 0|8@2+ (1,0) [0|0] \"\" B\n";

        var e = FluentActions.Invoking(() => DbcDatabase.Parse(text)).Should().Throw<DbcParseException>().Which;
        e.Reason.Should().Contain("unknown byte order '2'");
        e.Line.Should().Be(11);
        e.Column.Should().Be(14);
    }

    [Fact]
    public void Parse_SignalBeforeAnyMessage_Throws()
    {
        FluentActions.Invoking(() => DbcDatabase.Parse(Header + " SG_ S : 0|8@1+ (1,0) [0|0] \"\" B\n"))
            .Should().Throw<DbcParseException>().WithMessage("*outside a message*");
    }

    [Fact]
    public void Parse_FloatWithWrongLength_Throws()
    {
        var text = Header + "BO_ 1 M: 8 A\n SG_ S : 0|16@1+ (1,0) [0|0] \"\" B\n\nSIG_VALTYPE_ 1 S : 1;\n";

        FluentActions.Invoking(() => DbcDatabase.Parse(text)).Should().Throw<DbcParseException>().Where(e => e.Line == 13);
    }

    [Fact]
    public void Parse_UnknownLinesAndUnsupportedStatements_AreSkippedWithWarnings()
    {
        var text = Header
            + "BO_ 1 M: 8 A\n SG_ S : 0|8@1+ (1,0) [0|0] \"\" B\n\n"
            + "GARBAGE this is not dbc\n"
            + "EV_ Env: 0 [0|1] \"\" 0 1 DUMMY_NODE_VECTOR0 Vector__XXX;\n"
            + "CM_ SG_ 99 S \"no such message\";\n"
            + "VAL_ 1 Missing 0 \"x\" ;\n"
            + "BA_ \"Undefined\" BO_ 1 5;\n";

        var db = DbcDatabase.Parse(text);

        db.Messages.Should().ContainSingle();
        db.Warnings.Select(w => w.Line).Should().Equal(13, 14, 15, 16, 17);
        db.Warnings[0].Message.Should().Contain("GARBAGE");
        db.Warnings[1].Message.Should().Contain("EV_");
        db.Warnings[2].Message.Should().Contain("99");
        db.Warnings[3].Message.Should().Contain("Missing");
        db.Warnings[4].ToString().Should().StartWith("line 17:");
        db.Messages[0].Attributes.GetNumber("Undefined").Should().Be(5);
    }

    [Fact]
    public void Load_Windows1252File_ReadsUmlauts()
    {
        var text = Header + "BO_ 1 M: 8 A\n SG_ S : 0|8@1+ (1,0) [0|0] \"\u00b0C\" B\n\nCM_ BO_ 1 \"K\u00fchlmittel \u20ac\";\n";
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, DbcText.Windows1252.GetBytes(text));
            var db = DbcDatabase.Load(path);
            db.Messages[0].Signals[0].Unit.Should().Be("\u00b0C");
            db.Messages[0].Comment.Should().Be("K\u00fchlmittel \u20ac");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_Utf8FileWithBom_ReadsUmlauts()
    {
        var text = Header + "BO_ 1 M: 8 A\n SG_ S : 0|8@1+ (1,0) [0|0] \"\u00b0C\" B\n\nCM_ BO_ 1 \"K\u00fchlmittel \u20ac\";\n";
        using var stream = new MemoryStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);

        var db = DbcDatabase.Load(stream, "utf8.dbc");

        db.Messages[0].Signals[0].Unit.Should().Be("\u00b0C");
        db.Messages[0].Comment.Should().Be("K\u00fchlmittel \u20ac");
    }

    [Fact]
    public void Parse_CrLfLineEndsAndMissingReceivers_AreAccepted()
    {
        var text = (Header + "BO_ 1 M: 8 A\n SG_ S : 0|8@1+ (1,0) [0|0] \"\"\n SG_ T : 8|8@1+ (1,0) [0|0] \"\" B C\n").Replace("\n", "\r\n", StringComparison.Ordinal);

        var db = DbcDatabase.Parse(text);

        db.Messages[0].Signals.Select(s => s.Name).Should().Equal("S", "T");
        db.Messages[0].Signals[1].Receivers.Should().Equal("B", "C");
        db.Warnings.Should().BeEmpty();
    }
}
