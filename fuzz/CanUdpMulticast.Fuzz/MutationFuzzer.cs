using System.Diagnostics;

namespace CanUdpMulticast.Fuzz;

/// <summary>
/// The fast mode without afl-fuzz: random mutations of the seed corpus (bit flips, interesting values, inserts,
/// deletes, duplications, splices, truncations) for a fixed number of executions with a fixed seed, so a run is
/// repeatable and fits in a unit test. No coverage feedback: it finds shallow bugs quickly; afl-fuzz finds deep ones.
/// </summary>
internal static class MutationFuzzer
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xc0, 0xc2, 0xc3, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd3, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0x8b, (byte)'#', (byte)'.', (byte)' ', (byte)'\n', (byte)',', (byte)'=', (byte)'[', (byte)'"', (byte)'-', (byte)'9'];

    public static MutationReport Run(FuzzTarget target, IReadOnlyList<byte[]> seeds, long iterations, int seed, TimeSpan hangThreshold, int maxLength = 1 << 16)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(seeds);
        var random = new Random(seed);
        var pool = seeds.Count > 0 ? seeds : [Array.Empty<byte>()];
        var crashes = new List<MutationFinding>();
        var hangs = new List<MutationFinding>();
        var slowest = TimeSpan.Zero;
        var started = Stopwatch.GetTimestamp();
        long executions = 0;
        for (long i = 0; i < iterations; i++)
        {
            // The seeds themselves first, then mutants.
            var input = i < pool.Count ? pool[(int)i] : Mutate(pool[random.Next(pool.Count)], pool, random, maxLength);
            var before = Stopwatch.GetTimestamp();
            try
            {
                target.Run(input);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (crashes.Count < 20)
                {
                    crashes.Add(new MutationFinding(input, e.ToString()));
                }
            }

            executions++;
            var took = Stopwatch.GetElapsedTime(before);
            slowest = took > slowest ? took : slowest;
            if (took > hangThreshold && hangs.Count < 20)
            {
                hangs.Add(new MutationFinding(input, $"took {took.TotalMilliseconds:F0} ms"));
            }
        }

        return new MutationReport(target.Name, executions, Stopwatch.GetElapsedTime(started), crashes, hangs, slowest);
    }

    public static byte[] Mutate(byte[] original, IReadOnlyList<byte[]> pool, Random random, int maxLength)
    {
        var data = new List<byte>(original);
        var rounds = 1 + random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(9))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                    break;
                case 2 when data.Count > 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 3:
                    data.InsertRange(at, RandomBytes(random, 1 + random.Next(8)));
                    break;
                case 4 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                    break;
                case 5 when data.Count > 0:
                {
                    var length = Math.Min(data.Count - at, 1 + random.Next(64));
                    data.InsertRange(random.Next(data.Count + 1), data.GetRange(at, length));
                    break;
                }

                case 6 when pool.Count > 0:
                {
                    // Splice: the head of this input with the tail of another.
                    var other = pool[random.Next(pool.Count)];
                    var from = other.Length == 0 ? 0 : random.Next(other.Length);
                    data.RemoveRange(at, data.Count - at);
                    data.AddRange(other.AsSpan(from).ToArray());
                    break;
                }

                case 7 when data.Count > 0:
                    data.RemoveRange(at, data.Count - at);
                    break;
                default:
                    if (data.Count > 0)
                    {
                        // An ASCII digit or hex digit swap: text formats are mostly numbers.
                        data[at] = (byte)"0123456789abcdefABCDEF"[random.Next(22)];
                    }

                    break;
            }
        }

        return data.Count > maxLength ? [.. data.GetRange(0, maxLength)] : [.. data];
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
