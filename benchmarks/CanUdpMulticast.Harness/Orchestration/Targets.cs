using System.Text;

namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>Issue 4's targets, evaluated from the library's rows (nothing to say until the bus is measured).</summary>
internal static class Targets
{
    public static void Write(StringBuilder text, ReportWriter report)
    {
        _ = report;
        _ = text;
    }
}
