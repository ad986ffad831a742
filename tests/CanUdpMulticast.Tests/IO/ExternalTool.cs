namespace CanUdpMulticast.Tests.IO;

/// <summary>External tools of the cross-checks: missing means skipped locally, failed under <c>CI=true</c>.</summary>
internal static class ExternalTool
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void Require(string? problem)
    {
        if (problem is null)
        {
            return;
        }

        if (IsCi)
        {
            throw new InvalidOperationException($"CI=true needs the external tool: {problem}");
        }

        Skip.If(true, problem);
    }
}
