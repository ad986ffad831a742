using System.Globalization;

namespace CanUdpMulticast.Faults.Tests.Support;

/// <summary>
/// Figures a scenario measured, appended as one tab-separated line to the file named by FAULTS_REPORT (set by
/// scripts/faults.sh, which puts them into docs/reliability.md). Without FAULTS_REPORT nothing is written.
/// </summary>
public static class FaultReport
{
    private static readonly Lock Gate = new();

    public static void Add(string scenario, FormattableString figures)
    {
        var path = Environment.GetEnvironmentVariable("FAULTS_REPORT");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        lock (Gate)
        {
            File.AppendAllText(path, scenario + "\t" + figures.ToString(CultureInfo.InvariantCulture) + "\n");
        }
    }
}
