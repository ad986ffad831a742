using CanUdpMulticast.Dbc;
using CsCheck;

namespace CanUdpMulticast.Dbc.Tests;

public sealed class DbcCodecTests
{
    private static readonly DbcDatabase Db = DbcFiles.Features;

    [Fact]
    public void Decode_KnownPayload_GivesPhysicalValuesUnitsAndChoices()
    {
        // EngineSpeed 0x12C0 * 0.25 = 1200 rpm; CoolantTemp 0x5A - 40 = 50; Gear 3 at bit 27; Throttle (Motorola,
        // bits 39..30 sawtooth) raw 0x1F4 = 50.0 %; Torque (Motorola 53|12 signed) raw 0xFFC = -4 -> -4 * -0.5 + 10 = 12 Nm.
        var frame = new CanMessage(200, [0xC0, 0x12, 0x5A, 0x18, 0x7D, 0x00, 0x3F, 0xF0]);

        var decoded = Db.Decode(frame)!;

        decoded.Message.Name.Should().Be("EngineData");
        decoded["EngineSpeed"].Value.Should().Be(1200);
        decoded["EngineSpeed"].Unit.Should().Be("rpm");
        decoded["EngineSpeed"].FormatValue().Should().Be("1200 rpm");
        decoded["CoolantTemp"].Value.Should().Be(50);
        decoded["Gear"].RawValue.Should().Be(3);
        decoded["Gear"].ChoiceName.Should().Be("Third");
        decoded["Throttle"].RawValue.Should().Be(0x1F4);
        decoded["Throttle"].Value.Should().BeApproximately(50.0, 1e-9);
        decoded["Torque"].RawValue.Should().Be(-4);
        decoded["Torque"].Value.Should().Be(12);
        decoded.ToString().Should().StartWith("EngineData(EngineSpeed: 1200 rpm, CoolantTemp: 50 degC, Gear: Third");
    }

    [Fact]
    public void Encode_KnownValues_GivesTheKnownPayload()
    {
        var frame = Db.Encode("EngineData", new Dictionary<string, double>
        {
            ["EngineSpeed"] = 1200, ["CoolantTemp"] = 50, ["Gear"] = 3, ["Throttle"] = 50, ["Torque"] = 12,
        });

        frame.ArbitrationId.Should().Be(200u);
        frame.IsExtendedId.Should().BeFalse();
        frame.Data.ToArray().Should().Equal(0xC0, 0x12, 0x5A, 0x18, 0x7D, 0x00, 0x3F, 0xF0);
    }

    [Fact]
    public void Decode_UnknownIdRemoteOrWrongIdType_ReturnsNull()
    {
        Db.Decode(new CanMessage(201, new byte[8])).Should().BeNull();
        Db.Decode(new CanMessage(200, new byte[8], isExtendedId: true)).Should().BeNull();
        Db.Decode(new CanMessage(200, []) { IsRemoteFrame = true, Dlc = 8 }).Should().BeNull();
    }

    [Fact]
    public void Decode_SimpleMultiplexing_GivesOnlyTheSelectedSignals()
    {
        var diag = Db.GetMessage("DiagExt");

        var temp = Db.Decode(diag.CreateFrame([1, 0x10, 0x27, 0, 0, 0, 0, 9]))!;
        var pressure = Db.Decode(diag.CreateFrame([2, 0x00, 0x01, 0x2C, 0, 0, 0, 9]))!;
        var neither = Db.Decode(diag.CreateFrame([7, 0, 0, 0, 0, 0, 0, 9]))!;

        temp.Signals.Select(s => s.Signal.Name).Should().Equal("Mode", "Temp", "Always");
        temp["Temp"].Value.Should().BeApproximately(100.0, 1e-9);
        temp["Mode"].ChoiceName.Should().Be("Temperature");
        pressure.Signals.Select(s => s.Signal.Name).Should().Equal("Mode", "Pressure", "Always");
        pressure["Pressure"].Value.Should().Be((0x12C * 0.5) - 100);
        neither.Signals.Select(s => s.Signal.Name).Should().Equal("Mode", "Always");
    }

    [Fact]
    public void Decode_ExtendedMultiplexing_FollowsNestedSwitchesAndRanges()
    {
        var ext = Db.GetMessage("ExtMux");
        var names = (byte[] data) => Db.Decode(ext.CreateFrame(data))!.Signals.Select(s => s.Signal.Name).ToArray();

        names([0x21, 7, 0, 1, 0, 0, 0, 0]).Should().Equal("Sw1", "Sw2", "A", "C"); // Sw1=1, Sw2=2
        names([0x51, 7, 0, 1, 0, 0, 0, 0]).Should().Equal("Sw1", "Sw2", "A", "C"); // Sw2=5 in 4-6
        names([0x31, 7, 0, 1, 0, 0, 0, 0]).Should().Equal("Sw1", "Sw2", "C");      // Sw2=3 selects nothing
        names([0x04, 7, 0, 1, 0, 0, 0, 0]).Should().Equal("Sw1", "B", "C");        // Sw1=4: Sw2 absent, B in 3-5
        names([0x02, 7, 0, 1, 0, 0, 0, 0]).Should().Equal("Sw1", "C");
    }

    [Fact]
    public void Encode_Multiplexed_WritesSelectedSignalsAndRejectsUnselected()
    {
        var ext = Db.GetMessage("ExtMux");

        var frame = ext.Encode(new Dictionary<string, double> { ["Sw1"] = 1, ["Sw2"] = 4, ["A"] = 200, ["C"] = 9 });
        var act = () => ext.Encode(new Dictionary<string, double> { ["Sw1"] = 1, ["B"] = 1 });

        frame.Data.ToArray().Should().Equal(0x41, 200, 0, 9, 0, 0, 0, 0);
        act.Should().Throw<DbcEncodingException>().Where(e => e.SignalName == "B").WithMessage("*ExtMux.B*multiplexer Sw1*");
    }

    [Fact]
    public void Encode_OutOfRange_ThrowsNamingTheSignal()
    {
        var tooFast = () => Db.Encode("EngineData", new Dictionary<string, double> { ["EngineSpeed"] = 20000 });
        var tooWide = () => Db.Encode("ExtMux", new Dictionary<string, double> { ["Sw1"] = 16 });
        var unknown = () => Db.Encode("EngineData", new Dictionary<string, double> { ["Nope"] = 1 });

        tooFast.Should().Throw<DbcEncodingException>().Where(e => e.SignalName == "EngineSpeed" && e.MessageName == "EngineData")
            .WithMessage("*EngineData.EngineSpeed*20000*outside its range [0, 16383.75]*");
        tooWide.Should().Throw<DbcEncodingException>().WithMessage("*Sw1*");
        unknown.Should().Throw<DbcEncodingException>().WithMessage("*no signal Nope*");
    }

    [Fact]
    public void Encode_RawFieldOverflowWithoutRange_Throws()
    {
        // DiagExt.Always has [0|0]: no physical range, but the raw field is 8 bits.
        var act = () => Db.Encode("DiagExt", new Dictionary<string, double> { ["Always"] = 256 });

        act.Should().Throw<DbcEncodingException>().WithMessage("*raw value 256, outside the 8-bit unsigned field*");
    }

    [Fact]
    public void Encode_UnsetSignals_TakeTheirStartValueThenZero()
    {
        var frame = Db.Encode("EngineData", []);

        var decoded = Db.Decode(frame)!;
        decoded["EngineSpeed"].Value.Should().Be(800, "GenSigStartValue 3200 is raw: 3200 * 0.25");
        decoded["Gear"].ChoiceName.Should().Be("First");
        decoded["Throttle"].RawValue.Should().Be(0);
    }

    [Fact]
    public void Encode_FdAndExtendedMessages_SetTheFrameFlags()
    {
        var fd = Db.Encode("FloatMsg", new Dictionary<string, double> { ["F32"] = 1.5f, ["F64"] = -7.25 });
        var ext = Db.Encode("DiagExt", new Dictionary<string, double> { ["Mode"] = 1, ["Temp"] = -12.34 });

        fd.IsFd.Should().BeTrue();
        fd.Dlc.Should().Be(16);
        fd.GetValidationError().Should().Be(CanMessageError.None);
        var d = Db.Decode(fd)!;
        d["F32"].Value.Should().Be(1.5);
        d["F64"].Value.Should().Be(-7.25);
        d["F64"].RawValue.Should().Be(-4.125);
        ext.IsExtendedId.Should().BeTrue();
        ext.ArbitrationId.Should().Be(0x18FEF1FEu);
        Db.Decode(ext)!["Temp"].Value.Should().BeApproximately(-12.34, 1e-9);
    }

    [Fact]
    public void Decode_ShortPayload_MarksSignalsBeyondTheEndNotPresent()
    {
        var decoded = Db.Decode(new CanMessage(200, [0xC0, 0x12, 0x5A]))!;

        decoded.Signals.Select(s => s.Signal.Name).Should().Equal("EngineSpeed", "CoolantTemp");
    }

    [Fact]
    public void EncodeDecode_RandomValuesEverySignal_RoundTrip()
    {
        var messages = Db.Messages.ToArray();
        Gen.Int[0, messages.Length - 1].SelectMany(i => Gen.Byte.Array[messages[i].FrameLength].Select(data => (messages[i], data)))
            .Sample(t =>
            {
                var (message, data) = t;
                var values = new DecodedSignal[message.Signals.Count];
                message.Decode(data, values);
                var again = new byte[message.FrameLength];

                // Write the raw field (random bits may lie outside min/max); a double holds integers of up to 53 bits exactly.
                foreach (var v in values.Where(v => v.IsPresent))
                {
                    v.Signal.Layout.Write(again, v.RawBits);
                    if (v.Signal.ValueType == DbcValueType.Integer && v.Signal.Length <= 53)
                    {
                        v.Signal.RawToBits(v.RawValue).Should().Be(v.RawBits);
                    }
                }

                var check = new DecodedSignal[message.Signals.Count];
                message.Decode(again, check);
                for (var i = 0; i < values.Length; i++)
                {
                    check[i].IsPresent.Should().Be(values[i].IsPresent);

                    // A float NaN read into a double comes back as a quiet NaN: its payload bits may change.
                    if (!double.IsNaN(values[i].RawValue))
                    {
                        check[i].RawBits.Should().Be(values[i].RawBits, $"{message.Name}.{values[i].Signal.Name}");
                    }
                }
            }, iter: 2000);
    }

    [Fact]
    public void Encode_PhysicalValuesWithinRange_DecodeToTheSameValues()
    {
        var engine = Db.GetMessage("EngineData");
        var gen = Gen.Select(Gen.Int[0, 65535], Gen.Int[-128, 127], Gen.Int[0, 7], Gen.Int[0, 1023], Gen.Int[-2048, 2047]);
        gen.Sample((speed, temp, gear, throttle, torque) =>
        {
            double[] physical = [speed * 0.25, temp - 40, gear, throttle * 0.1, (torque * -0.5) + 10];
            var data = new byte[8];
            engine.Encode(physical, data);
            var back = new DecodedSignal[5];
            engine.Decode(data, back);
            back.Select(b => b.Value).Should().Equal(physical, (a, b) => Math.Abs(a - b) < 1e-9);
        }, iter: 2000);
    }

    [Fact]
    public void TryDecode_IntoCallerStorage_AllocatesNothing()
    {
        var frames = new[]
        {
            Db.Encode("EngineData", new Dictionary<string, double> { ["EngineSpeed"] = 1200, ["Gear"] = 3 }),
            Db.Encode("DiagExt", new Dictionary<string, double> { ["Mode"] = 2, ["Pressure"] = 50 }),
            Db.Encode("ExtMux", new Dictionary<string, double> { ["Sw1"] = 1, ["Sw2"] = 5, ["A"] = 3 }),
            Db.Encode("FloatMsg", new Dictionary<string, double> { ["F32"] = 2, ["F64"] = 3 }),
            Db.Encode("FdBig", new Dictionary<string, double> { ["Wide"] = 12345 }),
        };
        Span<DecodedSignal> storage = new DecodedSignal[16];
        var sum = 0.0;
        for (var i = 0; i < 100; i++)
        {
            sum += DecodeAll(frames, storage);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            sum += DecodeAll(frames, storage);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        sum.Should().NotBe(0);
    }

    [Fact]
    public void EncodeIntoSpan_AllocatesNothing()
    {
        var engine = Db.GetMessage("EngineData");
        double[] values = [1200, 50, 3, 50, 12];
        var data = new byte[8];
        engine.Encode(values, data);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            engine.Encode(values, data);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static double DecodeAll(CanMessage[] frames, Span<DecodedSignal> storage)
    {
        var sum = 0.0;
        foreach (ref readonly var frame in frames.AsSpan())
        {
            if (Db.TryDecode(frame, storage, out var message, out var present))
            {
                sum += present + storage[0].Value + (storage[2].ChoiceName?.Length ?? 0) + message.Signals.Count;
            }
        }

        return sum;
    }
}
