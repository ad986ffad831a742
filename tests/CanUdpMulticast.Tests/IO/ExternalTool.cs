namespace CanUdpMulticast.Tests.IO;

/// <summary>External tools of the cross-checks: missing means skipped locally, failed under <c>CI=true</c>.</summary>
internal static class ExternalTool
{
    public static bool IsCi => CanUdpMulticast.Testing.ExternalRequirement.IsCi;

    public static void Require(string? problem) => CanUdpMulticast.Testing.ExternalRequirement.Require(problem);
}
