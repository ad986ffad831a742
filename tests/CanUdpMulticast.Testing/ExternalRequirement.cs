using Xunit;

namespace CanUdpMulticast.Testing;

/// <summary>
/// Something outside .NET a test needs (python-can, can-utils, clang): missing means the test is skipped locally and
/// fails under <c>CI=true</c> on Linux, where .ci/run installs everything (Debian packages). On the Windows and macOS
/// CI runners these tests skip.
/// </summary>
public static class ExternalRequirement
{
    /// <summary>Whether this run is CI (<c>CI=true</c>).</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns when <paramref name="problem"/> is <see langword="null"/>; otherwise skips the test, or fails it on CI.</summary>
    /// <param name="problem">What is missing, or <see langword="null"/>.</param>
    public static void Require(string? problem)
    {
        if (problem is null)
        {
            return;
        }

        if (IsCi && OperatingSystem.IsLinux())
        {
            throw new InvalidOperationException($"CI=true needs this: {problem}");
        }

        Skip.If(true, problem);
    }
}
