using System.Diagnostics;
using System.Globalization;

namespace CanUdpMulticast.Nats.Tests.Support;

/// <summary>
/// Sites joined through a NATS hub, each its own network namespace: a hub namespace runs nats-server, and every site
/// (a private LAN with multicast on its loopback) reaches it over its own veth link (10.77.&lt;site&gt;.0/24). Made
/// from inside the test namespace with <c>ip netns</c> (unique names, deleted on dispose); nothing is connected to
/// anything outside.
/// </summary>
public sealed class SiteNetwork : IDisposable
{
    public const int NatsPort = 4222;

    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _namespaces = [];

    private SiteNetwork()
    {
    }

    public string Hub => "cnh" + _id;

    public IReadOnlyList<string> Sites { get; private set; } = [];

    /// <summary>The NATS URL as a site sees the hub.</summary>
    public static string NatsUrlFor(int site) => $"nats://10.77.{site + 1}.1:{NatsPort}";

    public static SiteNetwork Create(int sites)
    {
        if (Environment.GetEnvironmentVariable("CANUDP_NETNS") != "1")
        {
            throw new InvalidOperationException("site tests run only inside the test network namespace (scripts/in-netns.sh)");
        }

        var network = new SiteNetwork();
        try
        {
            network.Build(sites);
        }
        catch
        {
            network.Dispose();
            throw;
        }

        return network;
    }

    /// <summary>The command line that runs <paramref name="command"/> in namespace <paramref name="ns"/>.</summary>
    public static (string File, string[] Arguments) In(string ns, string command, params string[] arguments) =>
        ("ip", ["netns", "exec", ns, command, .. arguments]);

    public void Dispose()
    {
        foreach (var ns in _namespaces)
        {
            Run("ip", "netns", "del", ns); // also removes its veth ends
        }
    }

    private void Build(int sites)
    {
        Add(Hub);
        Run("ip", "-n", Hub, "link", "set", "lo", "up");
        var names = new List<string>();
        for (var i = 0; i < sites; i++)
        {
            var site = $"cns{i}{_id}";
            Add(site);
            names.Add(site);
            var net = (i + 1).ToString(CultureInfo.InvariantCulture);
            Run("ip", "-n", site, "link", "set", "lo", "up");
            Run("ip", "-n", site, "link", "set", "lo", "multicast", "on");
            Run("ip", "-n", site, "route", "add", "224.0.0.0/4", "dev", "lo");
            var hubEnd = $"vh{i}{_id}";
            var siteEnd = $"vs{i}{_id}";
            Run("ip", "link", "add", hubEnd, "netns", Hub, "type", "veth", "peer", "name", siteEnd, "netns", site);
            Run("ip", "-n", Hub, "addr", "add", $"10.77.{net}.1/24", "dev", hubEnd);
            Run("ip", "-n", Hub, "link", "set", hubEnd, "up");
            Run("ip", "-n", site, "addr", "add", $"10.77.{net}.2/24", "dev", siteEnd);
            Run("ip", "-n", site, "link", "set", siteEnd, "up");
        }

        Sites = names;
    }

    private void Add(string ns)
    {
        Run("ip", "netns", "add", ns);
        _namespaces.Add(ns);
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {error}");
        }
    }
}
