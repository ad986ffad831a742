using System.Globalization;

/// <summary>One row's measured round as one tab-separated line: how a <c>--row</c> child hands its result to <see cref="Pairs"/>.</summary>
internal readonly record struct RowResult(
    string Row, double Rate, int Received, double P50, double P99, double ClientCpu, double ServerCpu,
    double SendAlloc, double OneWayAlloc, double ReaderThreadAlloc, double ServerBytes, double SendRate, double SendCpu, double SenderThreadCpu, double ReaderThreadCpu, string LoadAverage)
{
    private const string Tag = "#RESULT";

    /// <summary>Receive-side bytes allocated per frame (one-way minus send-only, whole process).</summary>
    public double ReceiveAlloc => OneWayAlloc - SendAlloc;

    public static string Format(string row, Result r) => string.Join('\t',
        Tag, row,
        F(r.Rate), r.Received.ToString(CultureInfo.InvariantCulture), F(r.P50), F(r.P99),
        F(r.OneWay.ClientCpu), F(r.OneWay.ServerCpu), F(r.Send.Alloc), F(r.OneWay.Alloc), F(r.ReaderThreadAlloc), F(r.OneWay.ServerBytes), F(r.Send.Rate), F(r.Send.ClientCpu), F(r.SenderThreadCpu), F(r.ReaderThreadCpu),
        string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]));

    public static bool TryParse(string line, out RowResult result)
    {
        result = default;
        var f = line.Split('\t');
        if (f.Length != 17 || f[0] != Tag)
        {
            return false;
        }

        result = new RowResult(f[1], D(f[2]), int.Parse(f[3], CultureInfo.InvariantCulture), D(f[4]), D(f[5]), D(f[6]), D(f[7]),
            D(f[8]), D(f[9]), D(f[10]), D(f[11]), D(f[12]), D(f[13]), D(f[14]), D(f[15]), f[16]);
        return true;
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
