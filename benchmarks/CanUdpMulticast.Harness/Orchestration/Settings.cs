using System.Globalization;
using System.Text;

namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>The orchestrator's options (see <see cref="Options"/> and <see cref="Usage"/>).</summary>
internal sealed class Settings
{
    /// <summary>The scenarios <c>--only</c> accepts, in the order they run.</summary>
    public static IReadOnlyList<string> Scenarios { get; } = ["codec", "throughput", "saturated", "backlog", "rtt", "fanout", "jitter"];

    /// <summary>Every option; <see cref="Usage"/>, and <see cref="Parse"/> are made from this list.</summary>
    public static IReadOnlyList<HarnessOption> Options { get; } =
    [
        new("--quick", null, "short development run: 1 repetition, 50k frames, 0.5 s warm-up, 5k pings (the other options still override)"),
        new("--reps", "N", "repetitions of every measurement (default 3; median and min-max are reported)"),
        new("--frames", "N", "frames per one-way throughput run (default 200000)"),
        new("--warmup", "S", ".NET warm-up seconds before each measurement (default 2)"),
        new("--pings", "N", "measured round trips per RTT run (default 20000)"),
        new("--only", "LIST", $"scenarios: {string.Join(',', Scenarios)} (default all)"),
        new("--judged-pairs", "N", "runs per repetition of the row pairs a ratio target compares (raw SendTo / Send and raw sendmmsg / SendBatch; raw ReceiveFrom / Receive and raw recvmmsg / ReceiveBatch draining a backlog; raw / sync round trips), alternating their order (default 5; --quick 1)"),
        new("--systems", "LIST", $"row keys to run (default all): {string.Join(',', SystemUnderTest.AllKeys)}"),
        new("--fanout-rate", "R", "frames/s the fan-out sender sends (default 20000)"),
        new("--fanout-seconds", "S", "measured fan-out seconds (default 3)"),
        new("--out", "FILE", "also write the Markdown report to FILE (and the raw runs to FILE.json)"),
    ];

    /// <summary>The usage text of the harness's own executable.</summary>
    public static string Usage { get; } = BuildUsage();

    public int Reps { get; private set; } = 3;

    public int Frames { get; private set; } = 200_000;

    public double DotnetWarmup { get; private set; } = 2.0;

    public double PythonWarmup { get; private set; } = 0.5;

    public int Pings { get; private set; } = 20_000;

    /// <summary>
    /// How often per repetition the pairs of rows a ratio target compares run, alternating which goes first. Those
    /// measurements move between two speeds from one run to the next on this kind of virtual machine, so three runs
    /// of a pair decide by luck; the other rows run once per repetition.
    /// </summary>
    public int JudgedPairs { get; private set; } = 5;

    public double FanOutRate { get; private set; } = 20_000;

    public double FanOutSeconds { get; private set; } = 3;

    public int FanOutReceivers { get; } = 4;

    public HashSet<string> Only { get; private set; } = new(Scenarios, StringComparer.Ordinal);

    public HashSet<string>? Systems { get; private set; }

    /// <summary>Periodic-send jitter: (period in ms, frames) per measurement.</summary>
    public IReadOnlyList<(double PeriodMs, int Count)> JitterRuns { get; private set; } = [(1, 3000), (10, 500), (100, 150)];

    public string? Out { get; private set; }

    public bool Quick { get; private set; }

    /// <summary>Whether <c>--help</c> or <c>-h</c> was given (the caller prints <see cref="Usage"/>; nothing runs).</summary>
    public bool HelpRequested { get; private set; }

    /// <summary>Parses the options. <c>--quick</c> sets its defaults first wherever it stands, so explicit options win.</summary>
    /// <exception cref="HarnessUsageException">An unknown option, a missing value or a bad value.</exception>
    public static Settings Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new Settings();
        var given = new List<(string Name, string Value)>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--help" or "-h")
            {
                settings.HelpRequested = true;
                continue;
            }

            var option = Options.FirstOrDefault(o => o.Name == args[i]) ?? throw new HarnessUsageException($"unknown option '{args[i]}'");
            if (!option.TakesValue)
            {
                given.Add((option.Name, ""));
            }
            else if (i + 1 < args.Count)
            {
                given.Add((option.Name, args[++i]));
            }
            else
            {
                throw new HarnessUsageException($"{option.Name} needs a value ({option.ValueName})");
            }
        }

        if (given.Any(g => g.Name == "--quick"))
        {
            settings.Quick = true;
            settings.Reps = 1;
            settings.Frames = 50_000;
            settings.DotnetWarmup = 0.5;
            settings.PythonWarmup = 0.2;
            settings.Pings = 5_000;
            settings.JudgedPairs = 1;
            settings.FanOutSeconds = 1;
            settings.JitterRuns = [(1, 500), (10, 100), (100, 20)];
        }

        foreach (var (name, value) in given)
        {
            switch (name)
            {
                case "--reps": settings.Reps = Count(name, value); break;
                case "--frames": settings.Frames = Count(name, value); break;
                case "--warmup": settings.DotnetWarmup = Number(name, value, allowZero: true); break;
                case "--pings": settings.Pings = Count(name, value); break;
                case "--judged-pairs": settings.JudgedPairs = Count(name, value); break;
                case "--only": settings.Only = List(name, value, Scenarios); break;
                case "--systems": settings.Systems = List(name, value, SystemUnderTest.AllKeys); break;
                case "--fanout-rate": settings.FanOutRate = Number(name, value, allowZero: false); break;
                case "--fanout-seconds": settings.FanOutSeconds = Number(name, value, allowZero: false); break;
                case "--out": settings.Out = value.Length > 0 ? value : throw new HarnessUsageException("--out needs a file name"); break;
            }
        }

        return settings;
    }

    public bool Includes(SystemUnderTest system) => Systems is null || Systems.Contains(system.Key);

    private static int Count(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new HarnessUsageException($"{name} needs a whole number of at least 1, not '{value}'");

    private static double Number(string name, string value, bool allowZero) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) && (x > 0 || (allowZero && x == 0))
            ? x
            : throw new HarnessUsageException($"{name} needs a number {(allowZero ? "of at least 0" : "greater than 0")}, not '{value}'");

    private static HashSet<string> List(string name, string value, IReadOnlyList<string> known)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = items.Where(item => !known.Contains(item, StringComparer.Ordinal)).ToList();
        if (items.Length == 0 || unknown.Count > 0)
        {
            throw new HarnessUsageException(
                $"{name}: {(items.Length == 0 ? "empty list" : $"unknown {string.Join(", ", unknown.Select(u => $"'{u}'"))}")}; known: {string.Join(',', known)}");
        }

        return new(items, StringComparer.Ordinal);
    }

    private static string BuildUsage()
    {
        var text = new StringBuilder("usage: scripts/bench.sh [options]     (the same options: canudp bench [options] inside scripts/in-netns.sh)\n");
        foreach (var option in Options)
        {
            text.Append("  ").Append($"{option.Name} {option.ValueName}".TrimEnd().PadRight(22)).Append("  ").Append(option.Description).Append('\n');
        }

        return text.ToString();
    }
}
