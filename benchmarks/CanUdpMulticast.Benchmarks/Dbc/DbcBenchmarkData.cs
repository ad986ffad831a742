using System.Globalization;
using System.Text;
using CanUdpMulticast.Dbc;

namespace CanUdpMulticast.Benchmarks.Dbc;

/// <summary>
/// The DBC of the decode/encode benchmarks: one message per signal count (8, 32, 64) of as many bytes, signals
/// alternating a 12-bit signed Intel field with scaling and a 4-bit Motorola field with choices.
/// </summary>
public static class DbcBenchmarkData
{
    public static readonly int[] SignalCounts = [8, 32, 64];

    public static string Text { get; } = Build();

    public static DbcDatabase Database { get; } = DbcDatabase.Parse(Text);

    public static string MessageName(int signals) => $"Msg{signals}";

    /// <summary>Random payloads for a message (fixed seed).</summary>
    public static byte[][] Payloads(int signals, int count)
    {
        var random = new Random(signals);
        var length = Database.GetMessage(MessageName(signals)).Length;
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var data = new byte[length];
            random.NextBytes(data);
            return data;
        })];
    }

    private static string Build()
    {
        var sb = new StringBuilder("VERSION \"bench\"\n\nNS_ :\n\nBS_:\n\nBU_: Tx Rx\n\n");
        var choices = new StringBuilder();
        foreach (var n in SignalCounts)
        {
            var id = 0x100 + n;
            sb.Append(CultureInfo.InvariantCulture, $"BO_ {id} {MessageName(n)}: {n} Tx\n");
            for (var i = 0; i < n; i += 2)
            {
                // Bytes 2k and 2k+1: a 12-bit Intel field from bit 16k, then a 4-bit Motorola field in the top nibble of byte 2k+1.
                var bit = 8 * i;
                sb.Append(CultureInfo.InvariantCulture, $" SG_ S{i} : {bit}|12@1- (0.25,-10) [0|0] \"V\" Rx\n");
                sb.Append(CultureInfo.InvariantCulture, $" SG_ S{i + 1} : {bit + 15}|4@0+ (1,0) [0|15] \"\" Rx\n");
                choices.Append(CultureInfo.InvariantCulture, $"VAL_ {id} S{i + 1} 0 \"Off\" 1 \"On\" 15 \"Error\" ;\n");
            }

            sb.Append('\n');
        }

        return sb.Append(choices).ToString();
    }
}
