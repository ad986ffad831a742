using System.Globalization;
using System.Text.Json.Nodes;
using CanUdpMulticast.Dbc;

namespace CanUdpMulticast.Dbc.Tests;

/// <summary>
/// Checks decoding and encoding against an independent implementation, canmatrix 0.9.5 (Debian python3-canmatrix), on
/// thousands of random payloads and values for DBC files covering every feature.
/// </summary>
/// <remarks>
/// Where canmatrix differs from DBC semantics the test says so and checks the semantics instead:
/// <list type="bullet">
/// <item>canmatrix's <c>named_value</c> looks choices up by the physical value; <c>VAL_</c> keys are raw values. The
/// choice is compared with the raw-keyed lookup of canmatrix's parsed table (the ScaledChoice message shows the difference).</item>
/// <item>canmatrix cannot encode extended multiplexing (<c>EncodingComplexMultiplexed</c>); those frames are checked by
/// decoding ours with canmatrix only, and by <see cref="DbcCodecTests"/> against the DBC semantics.</item>
/// <item>canmatrix's <c>Frame.encode</c> takes raw values; the test gives it raw values.</item>
/// </list>
/// </remarks>
public sealed class CanmatrixCrossCheckTests
{
    private const int FramesPerFile = 3000;

    public static TheoryData<string> Files => new() { "features", "crosscheck" };

    [Theory]
    [MemberData(nameof(Files))]
    public void Decode_RandomPayloads_MatchesCanmatrix(string file)
    {
        var (db, path) = Open(file);
        var random = new Random(file.Length);
        var frames = new List<(DbcMessage Message, byte[] Data)>();
        for (var i = 0; i < FramesPerFile; i++)
        {
            var message = db.Messages[random.Next(db.Messages.Count)];
            var data = new byte[message.Length];
            random.NextBytes(data);
            SelectSomeMultiplexedSignals(message, data, random);
            frames.Add((message, data));
        }

        var response = CanmatrixPeer.Run(path, [.. frames.Select(f => Request(f.Message, f.Data))], []);

        var theirs = response["decode"]!.AsArray();
        var compared = 0;
        for (var i = 0; i < frames.Count; i++)
        {
            compared += CompareDecoded(frames[i].Message, frames[i].Data, theirs[i]!.AsObject());
        }

        compared.Should().BeGreaterThan(FramesPerFile);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EncodeOurs_DecodeCanmatrix_GivesTheSameRawValues(string file)
    {
        var (db, path) = Open(file);
        var random = new Random(file.Length + 1);
        var frames = new List<(DbcMessage Message, byte[] Data, Dictionary<string, ulong> Bits)>();
        for (var i = 0; i < FramesPerFile; i++)
        {
            var message = db.Messages[random.Next(db.Messages.Count)];
            var (values, bits) = RandomPhysicalValues(message, random);
            var data = new byte[message.FrameLength];
            message.Encode(values, data);
            frames.Add((message, data, bits));
        }

        var response = CanmatrixPeer.Run(path, [.. frames.Select(f => Request(f.Message, f.Data))], []);

        var theirs = response["decode"]!.AsArray();
        for (var i = 0; i < frames.Count; i++)
        {
            var (message, data, bits) = frames[i];
            var decoded = theirs[i]!.AsObject();
            foreach (var (name, expected) in bits)
            {
                var signal = message.FindSignal(name)!;
                decoded.ContainsKey(name).Should().BeTrue($"{message.Name}.{name} was encoded ({PayloadText(data)})");
                SameRaw(signal, expected, (string)decoded[name]!["raw"]!, $"{message.Name}.{name} in {PayloadText(data)}");
            }

            CompareDecoded(message, data, decoded);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EncodeCanmatrix_DecodeOurs_GivesTheSameValues(string file)
    {
        var (db, path) = Open(file);
        var random = new Random(file.Length + 2);
        var requests = new List<(DbcMessage Message, Dictionary<string, ulong> Bits)>();
        for (var i = 0; i < FramesPerFile; i++)
        {
            var message = db.Messages[random.Next(db.Messages.Count)];
            requests.Add((message, RandomPhysicalValues(message, random).Bits));
        }

        var encode = new JsonArray();
        foreach (var (message, bits) in requests)
        {
            var raw = new JsonObject();
            foreach (var (name, b) in bits)
            {
                var signal = message.FindSignal(name)!;
                raw[name] = signal.ValueType == DbcValueType.Integer ? RawText(signal, b) : JsonValue.Create(signal.BitsToRaw(b));
            }

            encode.Add(new JsonObject { ["message"] = message.Name, ["raw"] = raw });
        }

        var response = CanmatrixPeer.Run(path, [], encode);

        var theirs = response["encode"]!.AsArray();
        var checkedFrames = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            var (message, bits) = requests[i];
            if (theirs[i] is JsonObject error)
            {
                // canmatrix lacks encoding of extended (SG_MUL_VAL_) multiplexing; nothing else may fail.
                ((string)error["error"]!).Should().Be("EncodingComplexMultiplexed");
                message.Signals.Should().Contain(s => s.IsMultiplexer && s.IsMultiplexed, "only nested multiplexers are complex");
                continue;
            }

            var data = Convert.FromHexString((string)theirs[i]!);
            var values = new DecodedSignal[message.Signals.Count];
            message.Decode(data, values);
            foreach (var (name, expected) in bits)
            {
                var v = values[message.FindSignal(name)!.Index];
                v.IsPresent.Should().BeTrue($"{message.Name}.{name}");
                v.RawBits.Should().Be(expected, $"{message.Name}.{name} from canmatrix's {PayloadText(data)}");
            }

            checkedFrames++;
        }

        checkedFrames.Should().BeGreaterThan(FramesPerFile / 2);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void StartValues_MatchCanmatrixInitialValues(string file)
    {
        var (db, path) = Open(file);

        var start = CanmatrixPeer.Run(path, [], [])["start"]!.AsObject();

        foreach (var message in db.Messages)
        {
            foreach (var signal in message.Signals)
            {
                var ours = ((signal.StartValue ?? 0) * signal.Factor) + signal.Offset;
                ((double)start[message.Name]![signal.Name]!).Should().BeApproximately(ours, 1e-9, $"{message.Name}.{signal.Name}");
            }
        }
    }

    [Fact]
    public void Choices_OnAScaledSignal_AreKeyedByRawValueWhereCanmatrixUsesThePhysical()
    {
        var (db, path) = Open("crosscheck");
        var message = db.GetMessage("ScaledChoice");
        var level = message.FindSignal("Level")!;
        var off = new byte[8];
        var mid = new byte[8];
        level.Layout.Write(mid, 3);

        var theirs = CanmatrixPeer.Run(path, [Request(message, off), Request(message, mid)], [])["decode"]!.AsArray();

        // DBC: VAL_ keys are raw values. Raw 0 (physical 1) is "Off", raw 3 (physical 7) is "Mid".
        db.Decode(message.CreateFrame(off))!["Level"].ChoiceName.Should().Be("Off");
        db.Decode(message.CreateFrame(mid))!["Level"].ChoiceName.Should().Be("Mid");
        // canmatrix 0.9.5 compares the keys with the physical value: wrong name for raw 0, none for raw 3.
        ((string?)theirs[0]!["Level"]!["cm_named"]).Should().Be("Low");
        ((string?)theirs[1]!["Level"]!["cm_named"]).Should().BeNull();
        ((string?)theirs[0]!["Level"]!["choice"]).Should().Be("Off");
    }

    private static (DbcDatabase Db, string Path) Open(string file)
    {
        if (file == "features")
        {
            return (DbcFiles.Features, DbcFiles.PathOf("features.dbc"));
        }

        var path = CrossCheckDbc.WriteTempFile();
        return (DbcDatabase.Load(path), path);
    }

    private static JsonObject Request(DbcMessage message, byte[] data) =>
        new() { ["message"] = message.Name, ["data"] = CanmatrixPeer.Hex(data) };

    private static string PayloadText(byte[] data) => Convert.ToHexString(data);

    private static void SameRaw(DbcSignal signal, ulong bits, string theirs, string because)
    {
        if (signal.ValueType == DbcValueType.Integer)
        {
            RawText(signal, bits).Should().Be(theirs, because);
        }
        else
        {
            signal.BitsToRaw(bits).Should().Be(ParsePython(theirs), because);
        }
    }

    /// <summary>A python float repr (including nan and inf) as a double.</summary>
    private static double ParsePython(string text) => text switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string RawText(DbcSignal signal, ulong bits) => signal.ValueType != DbcValueType.Integer
        ? signal.BitsToRaw(bits).ToString("R", CultureInfo.InvariantCulture)
        : signal.IsSigned ? signal.BitsToChoiceKey(bits).ToString(CultureInfo.InvariantCulture) : bits.ToString(CultureInfo.InvariantCulture);

    /// <summary>Compares our decode of a payload with canmatrix's; returns the number of signals compared.</summary>
    private static int CompareDecoded(DbcMessage message, byte[] data, JsonObject theirs)
    {
        var values = new DecodedSignal[message.Signals.Count];
        message.Decode(data, values);
        var present = values.Where(v => v.IsPresent).Select(v => v.Signal.Name).ToHashSet();
        present.Should().BeEquivalentTo(theirs.Select(p => p.Key), $"the multiplexer selects the same signals in {message.Name} {PayloadText(data)}");
        foreach (var v in values.Where(v => v.IsPresent))
        {
            var t = theirs[v.Signal.Name]!;
            var because = $"{message.Name}.{v.Signal.Name} in {PayloadText(data)}";
            SameRaw(v.Signal, v.RawBits, (string)t["raw"]!, because);
            var phys = ParsePython((string)t["phys"]!);
            if (double.IsNaN(v.Value) || double.IsInfinity(v.Value))
            {
                phys.Should().Be(v.Value, because);
            }
            else
            {
                // canmatrix scales with decimal arithmetic; ours in double: equal within rounding.
                v.Value.Should().BeApproximately(phys, Math.Max(1e-9, Math.Abs(phys) * 1e-12), because);
            }

            v.ChoiceName.Should().Be((string?)t["choice"], because);
        }

        return present.Count;
    }

    /// <summary>Random raw values for the signals a random multiplexer setting selects, as physical values for our encoder.</summary>
    private static (double[] Values, Dictionary<string, ulong> Bits) RandomPhysicalValues(DbcMessage message, Random random)
    {
        var values = new double[message.Signals.Count];
        Array.Fill(values, double.NaN);
        var bits = new Dictionary<string, ulong>();
        var chosen = new ulong?[message.Signals.Count];
        foreach (var signal in OrderSwitchesFirst(message))
        {
            if (signal.MultiplexerSwitch is { } sw && !(chosen[sw.Index] is { } v && signal.MultiplexerRanges.Any(r => r.Contains(v))))
            {
                continue;
            }

            ulong b;
            if (signal.IsMultiplexer && random.Next(4) != 0)
            {
                // Mostly pick a switch value some signal is selected by.
                var ranges = message.Signals.Where(s => s.MultiplexerSwitch == signal).SelectMany(s => s.MultiplexerRanges).ToArray();
                b = ranges.Length == 0 ? 0 : ranges[random.Next(ranges.Length)].Minimum;
            }
            else
            {
                b = RandomBits(signal, random);
            }

            chosen[signal.Index] = b;
            bits[signal.Name] = b;
            values[signal.Index] = (signal.BitsToRaw(b) * signal.Factor) + signal.Offset;
        }

        return (values, bits);
    }

    private static ulong RandomBits(DbcSignal signal, Random random)
    {
        if (signal.ValueType == DbcValueType.Float32)
        {
            return (uint)BitConverter.SingleToInt32Bits((float)((random.NextDouble() - 0.5) * 1e6));
        }

        if (signal.ValueType == DbcValueType.Float64)
        {
            return (ulong)BitConverter.DoubleToInt64Bits((random.NextDouble() - 0.5) * 1e12);
        }

        // Physical values travel as doubles: keep raw integers within 2^50 so raw -> physical -> raw is exact.
        var width = Math.Min(signal.Length, 50);
        var b = (ulong)random.NextInt64() & (width >= 64 ? ulong.MaxValue : (1UL << width) - 1);
        if (signal.IsSigned && width < signal.Length && random.Next(2) == 0)
        {
            b = (ulong)(-(long)b) & (signal.Length >= 64 ? ulong.MaxValue : (1UL << signal.Length) - 1);
        }

        if (signal.HasRange)
        {
            var raw = signal.BitsToRaw(b);
            var phys = (raw * signal.Factor) + signal.Offset;
            if (phys < signal.Minimum || phys > signal.Maximum)
            {
                return signal.RawToBits(Math.Round((Math.Clamp(phys, signal.Minimum, signal.Maximum) - signal.Offset) / signal.Factor));
            }
        }

        return b;
    }

    private static IEnumerable<DbcSignal> OrderSwitchesFirst(DbcMessage message)
    {
        var done = new HashSet<DbcSignal>();
        while (done.Count < message.Signals.Count)
        {
            foreach (var s in message.Signals.Where(s => !done.Contains(s) && (s.MultiplexerSwitch is null || done.Contains(s.MultiplexerSwitch))).ToList())
            {
                done.Add(s);
                yield return s;
            }
        }
    }

    /// <summary>Random payloads select multiplexed signals rarely; overwrite the switches with values that select some.</summary>
    private static void SelectSomeMultiplexedSignals(DbcMessage message, byte[] data, Random random)
    {
        foreach (var sw in message.Signals.Where(s => s.IsMultiplexer))
        {
            var ranges = message.Signals.Where(s => s.MultiplexerSwitch == sw).SelectMany(s => s.MultiplexerRanges).ToArray();
            if (ranges.Length > 0 && random.Next(4) != 0)
            {
                var r = ranges[random.Next(ranges.Length)];
                sw.Layout.Write(data, r.Minimum + (ulong)random.NextInt64((long)Math.Min(r.Maximum - r.Minimum, 1000) + 1));
            }
        }
    }
}
