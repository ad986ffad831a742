using System.Globalization;
using System.Net;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>The command line of a child process: <c>ROLE IMPL --key value ...</c>.</summary>
internal sealed class RoleArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public RoleArgs(string[] args)
    {
        if (args.Length < 2)
        {
            throw new ArgumentException("usage: ROLE IMPL [--key value]...");
        }

        Role = args[0];
        Impl = args[1];
        for (var i = 2; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --key, got '{args[i]}'");
            }

            _values[args[i][2..]] = args[i + 1];
        }
    }

    public string Role { get; }

    public string Impl { get; }

    public IPAddress Group => IPAddress.Parse(Get("group", "239.74.163.10"));

    public int Port => Int("port", 43200);

    public string Get(string key, string fallback) => _values.TryGetValue(key, out var value) ? value : fallback;

    public int Int(string key, int fallback) => _values.TryGetValue(key, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Double(string key, double fallback) =>
        _values.TryGetValue(key, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
