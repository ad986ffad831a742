using System.Globalization;

namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>The orchestrator's options (see <see cref="Usage"/>).</summary>
internal sealed class Settings
{
    public const string Usage = """
        usage: CanUdpMulticast.Harness [options]        (inside the namespace: scripts/bench.sh [options])
          --quick                 short development run: 1 repetition, 50k frames, 0.5 s warm-up, 5k pings
          --reps N                repetitions of every measurement (default 3; median and min-max are reported)
          --frames N              frames per one-way throughput run (default 200000)
          --warmup S              .NET warm-up seconds before each measurement (default 2)
          --pings N               measured round trips per RTT run (default 20000)
          --only LIST             scenarios: codec,throughput,saturated,rtt,fanout,jitter (default all)
          --systems LIST          row keys to run (default all), e.g. raw,python,lib-send
          --fanout-rate R         frames/s the fan-out sender sends (default 20000)
          --fanout-seconds S      measured fan-out seconds (default 3)
          --out FILE              also write the Markdown report to FILE (and the raw runs to FILE.json)
        """;

    public int Reps { get; private set; } = 3;

    public int Frames { get; private set; } = 200_000;

    public double DotnetWarmup { get; private set; } = 2.0;

    public double PythonWarmup { get; private set; } = 0.5;

    public int Pings { get; private set; } = 20_000;

    public double FanOutRate { get; private set; } = 20_000;

    public double FanOutSeconds { get; private set; } = 3;

    public int FanOutReceivers { get; } = 4;

    public HashSet<string> Only { get; private set; } = new(["codec", "throughput", "saturated", "rtt", "fanout", "jitter"], StringComparer.Ordinal);

    public HashSet<string>? Systems { get; private set; }

    /// <summary>Periodic-send jitter: (period in ms, frames) per measurement.</summary>
    public IReadOnlyList<(double PeriodMs, int Count)> JitterRuns { get; private set; } = [(1, 3000), (10, 500), (100, 150)];

    public string? Out { get; private set; }

    public bool Quick { get; private set; }

    public static Settings Parse(string[] args)
    {
        var settings = new Settings();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            switch (args[i])
            {
                case "--quick":
                    settings.Quick = true;
                    settings.Reps = 1;
                    settings.Frames = 50_000;
                    settings.DotnetWarmup = 0.5;
                    settings.PythonWarmup = 0.2;
                    settings.Pings = 5_000;
                    settings.FanOutSeconds = 1;
                    settings.JitterRuns = [(1, 500), (10, 100), (100, 20)];
                    break;
                case "--reps": settings.Reps = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--frames": settings.Frames = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": settings.DotnetWarmup = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--pings": settings.Pings = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--only": settings.Only = new(Next().Split(','), StringComparer.Ordinal); break;
                case "--systems": settings.Systems = new(Next().Split(','), StringComparer.Ordinal); break;
                case "--fanout-rate": settings.FanOutRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--fanout-seconds": settings.FanOutSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--out": settings.Out = Next(); break;
                case "--help" or "-h": Console.WriteLine(Usage); Environment.Exit(0); break;
                default: throw new ArgumentException($"unknown option {args[i]}\n{Usage}");
            }
        }

        return settings;
    }

    public bool Includes(SystemUnderTest system) => Systems is null || Systems.Contains(system.Key);
}
