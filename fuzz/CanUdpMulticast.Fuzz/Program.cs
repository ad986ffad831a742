using System.Globalization;
using CanUdpMulticast.Fuzz;
using SharpFuzz;

// Usage (scripts/fuzz.sh drives it):
//   CanUdpMulticast.Fuzz list
//   CanUdpMulticast.Fuzz afl TARGET                       under afl-fuzz (input on stdin / afl's file), SharpFuzz's fork server
//   CanUdpMulticast.Fuzz run TARGET FILE|DIR...           replays inputs once each (crashes found by afl, regressions)
//   CanUdpMulticast.Fuzz mutate TARGET|all ITERATIONS [SEED] [FINDINGS_DIR]   in-process mutation, no afl
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: CanUdpMulticast.Fuzz list | afl TARGET | run TARGET PATH... | mutate TARGET|all ITERATIONS [SEED] [FINDINGS_DIR]");
    return 2;
}

switch (args[0])
{
    case "list":
        foreach (var target in FuzzTargets.All)
        {
            Console.WriteLine($"{target.Name,-10} {target.Description}");
        }

        return 0;

    case "afl" when args.Length == 2:
    {
        var target = FuzzTargets.Get(args[1]);
        Fuzzer.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            target.Run(copy.ToArray());
        });
        return 0;
    }

    case "run" when args.Length >= 3:
    {
        var target = FuzzTargets.Get(args[1]);
        var files = args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]);
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
                Console.WriteLine($"ok    {file}");
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"CRASH {file}: {e}");
            }
        }

        return failed == 0 ? 0 : 1;
    }

    case "mutate" when args.Length >= 3:
    {
        var targets = args[1] == "all" ? FuzzTargets.All : [FuzzTargets.Get(args[1])];
        var iterations = long.Parse(args[2], CultureInfo.InvariantCulture);
        var seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        var findings = args.Length > 4 ? args[4] : null;
        var bad = 0;
        foreach (var target in targets)
        {
            var report = MutationFuzzer.Run(target, Corpus.Seeds(target.Name), iterations, seed, TimeSpan.FromSeconds(1));
            Console.WriteLine(report);
            var n = 0;
            foreach (var (kind, list) in new[] { ("crash", report.Crashes), ("hang", report.Hangs) })
            {
                foreach (var finding in list)
                {
                    bad++;
                    Console.WriteLine($"  {kind}: {finding.What.Split('\n')[0]}");
                    if (findings is not null)
                    {
                        Directory.CreateDirectory(Path.Combine(findings, target.Name));
                        File.WriteAllBytes(Path.Combine(findings, target.Name, $"{kind}-{n++}"), finding.Input);
                    }
                }
            }
        }

        return bad == 0 ? 0 : 1;
    }

    default:
        Console.Error.WriteLine($"Unknown command '{string.Join(' ', args)}'; run without arguments for usage.");
        return 2;
}
