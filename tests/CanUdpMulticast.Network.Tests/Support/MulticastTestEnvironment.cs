using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;

namespace CanUdpMulticast.Network.Tests.Support;

/// <summary>
/// What the network tests need from the host: unique groups, test options (hop limit 0 by default), and a capability check
/// that skips a test when multicast is unavailable, except under <c>CI=true</c>, where it fails instead.
/// </summary>
public static class MulticastTestEnvironment
{
    /// <summary>The port the tests use (python-can's default is left to the interop tests).</summary>
    public const int TestPort = 43170;

    private static readonly Lazy<string?> IPv4Problem = new(() => Probe("239.255.77.1"));
    private static readonly Lazy<string?> IPv6Problem = new(() => Probe("ff15::7e57:1"));
    private static int s_next = Environment.ProcessId % 1000 * 50;

    /// <summary>The interface the namespace routes IPv6 multicast through (set by scripts/in-netns.sh), if any.</summary>
    public static string? IPv6Interface => Environment.GetEnvironmentVariable("CANUDP_TEST_IPV6_INTERFACE");

    /// <summary>Whether we run in the private network namespace of scripts/in-netns.sh.</summary>
    public static bool InPrivateNamespace => Environment.GetEnvironmentVariable("CANUDP_NETNS") == "1";

    /// <summary>
    /// A throwaway Windows/macOS CI runner (<c>CANUDP_DISPOSABLE_HOST=1</c>, set by .github/workflows/ci.yml), where
    /// there is no network namespace and the portable transport's tests run on the host with hop limit 0. Never on
    /// Linux: there the namespace is the only place for multicast tests.
    /// </summary>
    public static bool OnDisposableHost => Environment.GetEnvironmentVariable("CANUDP_DISPOSABLE_HOST") == "1" && !OperatingSystem.IsLinux();

    /// <summary>A group no other test of this run uses.</summary>
    /// <param name="family">IPv4 or IPv6.</param>
    /// <returns>The group.</returns>
    public static string NewGroup(AddressFamily family)
    {
        var n = Interlocked.Increment(ref s_next);
        return family == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"ff15::7e57:{n >> 16:x}:{n & 0xFFFF:x}")
            : string.Create(CultureInfo.InvariantCulture, $"239.77.{(n >> 8) & 0xFF}.{n & 0xFF}");
    }

    /// <summary>Options for a test bus: a group, the test port, hop limit 0 (frames stay on this host).</summary>
    /// <param name="group">The group.</param>
    /// <returns>The options.</returns>
    public static UdpMulticastBusOptions Options(string group) => new()
    {
        Channel = group,
        Port = TestPort,
        HopLimit = 0,
    };

    /// <summary>Skips the test (or fails it under CI=true) when multicast of this family does not work here.</summary>
    /// <param name="family">IPv4 or IPv6.</param>
    public static void RequireMulticast(AddressFamily family)
    {
        var problem = family == AddressFamily.InterNetworkV6 ? IPv6Problem.Value : IPv4Problem.Value;
        if (problem is null)
        {
            return;
        }

        RequireMulticastFailure($"{family} multicast is unavailable here ({problem})");
    }

    /// <summary>Skips the test, or fails it under <c>CI=true</c>, because the network setup lacks something.</summary>
    /// <param name="problem">What is missing.</param>
    public static void RequireMulticastFailure(string problem)
    {
        var message = problem + "; run the tests through scripts/test.sh";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(message + " (CI=true: failing instead of skipping)");
        }

        Skip.If(true, message);
    }

    /// <summary>Waits for a condition, polling; fails with <paramref name="because"/> after <paramref name="timeout"/>.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="because">What was expected.</param>
    /// <param name="timeout">How long to wait; 5 s by default.</param>
    public static void WaitUntil(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting: {because}.");
            }

            Thread.Sleep(2);
        }
    }

    /// <summary>
    /// Whether the thread of this process named <paramref name="threadName"/> sleeps in the kernel waiting for a socket:
    /// in <c>__skb_wait_for_more_packets</c> (a blocking receive) or in <c>poll</c>.
    /// </summary>
    /// <param name="threadName">The thread's name (at most 15 characters, as the kernel keeps it).</param>
    /// <returns>Whether it waits there now.</returns>
    public static bool IsWaitingInKernel(string threadName) => Directory.EnumerateDirectories("/proc/self/task").Any(task =>
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).Trim() == threadName
                && File.ReadAllText(Path.Combine(task, "wchan")) is var wchan
                && (wchan.Contains("poll", StringComparison.Ordinal) || wchan.Contains("wait_for_more_packets", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false; // the thread ended while we looked
        }
    });

    private static string? Probe(string group)
    {
        // Never probe outside a private namespace: the network-safety rule forbids multicast on the real network.
        if (!InPrivateNamespace && !OnDisposableHost)
        {
            return "not inside scripts/in-netns.sh";
        }

        try
        {
            var address = IPAddress.Parse(group);
            using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(address));
            }
            else
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(address));
            }

            return null;
        }
        catch (SocketException ex)
        {
            return $"joining {group} failed: {ex.SocketErrorCode}";
        }
    }
}
