using System.Globalization;
using System.Text;

namespace CanUdpMulticast.Dbc.Tests;

/// <summary>
/// A generated DBC for the canmatrix cross-check: for every length 1..64 one Intel and one Motorola signal at a
/// pseudo-random (often odd) start bit, signed and unsigned, with factors including negative ones and offsets; 8-byte
/// classic and 16/64-byte FD messages, standard and extended ids; float and double signals; a scaled signal with
/// choices.
/// </summary>
internal static class CrossCheckDbc
{
    private static readonly double[] Factors = [1, 0.5, -0.25, 0.1, 3, -1, 0.001, 2.5];
    private static readonly double[] Offsets = [0, -100, 12.5, 7, 0, -0.5];

    public static string Text { get; } = Build();

    public static string WriteTempFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"crosscheck-{Environment.ProcessId}-{Guid.NewGuid():N}.dbc");
        File.WriteAllText(path, Text);
        return path;
    }

    private static string Build()
    {
        var random = new Random(15);
        var sb = new StringBuilder("VERSION \"crosscheck\"\n\nNS_ :\n\nBS_:\n\nBU_: Tx Rx\n\n");
        var id = 0x100;
        var extras = new StringBuilder();
        for (var length = 1; length <= 64; length++)
        {
            foreach (var intel in new[] { true, false })
            {
                var size = length <= 40 ? 8 : length <= 100 ? 16 : 64;
                if (length % 9 == 0)
                {
                    size = 64;
                }

                var extended = length % 3 == 0;
                var dbcId = extended ? (uint)(0x80000000 | (0x1ABC000u + (uint)id)) : (uint)id;
                id++;
                var name = $"L{length}{(intel ? "I" : "M")}";
                var start = StartBit(random, length, size, intel);
                var signed = random.Next(2) == 0;
                var factor = Factors[random.Next(Factors.Length)];
                var offset = Offsets[random.Next(Offsets.Length)];
                sb.Append(CultureInfo.InvariantCulture, $"BO_ {dbcId} {name}: {size} Tx\n");
                sb.Append(CultureInfo.InvariantCulture,
                    $" SG_ S{name} : {start}|{length}@{(intel ? 1 : 0)}{(signed ? '-' : '+')} ({factor},{offset}) [0|0] \"u\" Rx\n\n");
                if (size > 8)
                {
                    extras.Append(CultureInfo.InvariantCulture, $"BA_ \"VFrameFormat\" BO_ {dbcId} {(extended ? 15 : 14)};\n");
                }
            }
        }

        sb.Append("BO_ 1792 Floats: 16 Tx\n SG_ F : 3|32@1- (1,0) [0|0] \"\" Rx\n SG_ D : 71|64@0- (-2,5) [0|0] \"\" Rx\n\n");
        sb.Append("BO_ 1793 ScaledChoice: 8 Tx\n SG_ Level : 12|6@1+ (2,1) [1|127] \"\" Rx\n SG_ Plain : 23|4@0- (1,0) [-8|7] \"\" Rx\n\n");
        sb.Append("BA_DEF_ BO_ \"VFrameFormat\" ENUM \"StandardCAN\",\"ExtendedCAN\",\"reserved\",\"J1939PG\",\"reserved\",\"reserved\",\"reserved\",")
            .Append("\"reserved\",\"reserved\",\"reserved\",\"reserved\",\"reserved\",\"reserved\",\"reserved\",\"StandardCAN_FD\",\"ExtendedCAN_FD\";\n");
        sb.Append("BA_DEF_ SG_ \"GenSigStartValue\" FLOAT -1000000 1000000;\n");
        sb.Append("BA_DEF_DEF_ \"VFrameFormat\" \"StandardCAN\";\nBA_DEF_DEF_ \"GenSigStartValue\" 0;\n");
        sb.Append(extras);
        sb.Append("BA_ \"GenSigStartValue\" SG_ 1793 Level 20;\n");
        sb.Append("VAL_ 1793 Level 0 \"Off\" 1 \"Low\" 3 \"Mid\" 63 \"Max\" ;\nVAL_ 1793 Plain -1 \"MinusOne\" 2 \"Two\" ;\n");
        sb.Append("SIG_VALTYPE_ 1792 F : 1;\nSIG_VALTYPE_ 1792 D : 2;\n");
        return sb.ToString();
    }

    /// <summary>A start bit at which a signal of <paramref name="length"/> bits fits a message of <paramref name="size"/> bytes.</summary>
    private static int StartBit(Random random, int length, int size, bool intel)
    {
        while (true)
        {
            var start = random.Next(size * 8);
            var layout = new SignalLayoutProbe(start, length, intel);
            if (layout.Fits(size))
            {
                return start;
            }
        }
    }

    private readonly record struct SignalLayoutProbe(int Start, int Length, bool Intel)
    {
        public bool Fits(int size)
        {
            if (Intel)
            {
                return Start + Length <= size * 8;
            }

            var msbLinear = ((Start >> 3) << 3) + 7 - (Start & 7);
            return msbLinear + Length <= size * 8;
        }
    }
}
