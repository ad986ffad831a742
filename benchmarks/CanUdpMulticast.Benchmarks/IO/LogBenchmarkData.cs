using CanUdpMulticast.IO;

namespace CanUdpMulticast.Benchmarks.IO;

/// <summary>The frames and files of the log format benchmarks: a fixed, realistic mix.</summary>
public static class LogBenchmarkData
{
    /// <summary>The number of frames in the benchmark files.</summary>
    public const int Frames = 1_000_000;

    /// <summary>The first timestamp.</summary>
    public const double Start = 1_700_000_000.0;

    /// <summary>The time between frames, in seconds.</summary>
    public const double Step = 0.0001;

    /// <summary>
    /// 1000 distinct frames cycled through: 60 % standard 8-byte, 25 % extended 0..8-byte, 10 % CAN FD 12..64-byte
    /// with BRS, 3 % remote, 2 % error frames, on two channels.
    /// </summary>
    public static CanMessage[] Ring()
    {
        var random = new Random(42);
        var ring = new CanMessage[1000];
        for (var i = 0; i < ring.Length; i++)
        {
            var kind = random.Next(100);
            CanChannel channel = random.Next(2) == 0 ? "can0" : "can1";
            var data = new byte[64];
            random.NextBytes(data);
            ring[i] = kind switch
            {
                < 60 => new CanMessage((uint)random.Next(0x800), data.AsSpan(0, 8)),
                < 85 => new CanMessage((uint)random.Next(0x2000_0000), data.AsSpan(0, random.Next(9)), isExtendedId: true),
                < 95 => new CanMessage((uint)random.Next(0x800), data.AsSpan(0, CanDlc.ToLength(random.Next(9, 16)))) { IsFd = true, BitrateSwitch = true },
                < 98 => new CanMessage { ArbitrationId = (uint)random.Next(0x800), IsRemoteFrame = true, Dlc = random.Next(9) },
                _ => new CanMessage(0, new byte[8]) { IsErrorFrame = true, IsExtendedId = true },
            } with { Channel = channel, IsRx = random.Next(10) != 0 };
        }

        return ring;
    }

    /// <summary>Writes (once) a file of <paramref name="frames"/> frames in a format into a directory.</summary>
    /// <returns>The file's path.</returns>
    public static string EnsureFile(string directory, string format, int frames = Frames)
    {
        var path = Path.Combine(directory, $"frames-{frames}{format}");
        if (File.Exists(path))
        {
            return path;
        }

        System.IO.Directory.CreateDirectory(directory);
        var ring = Ring();
        var partial = path + ".partial";
        using (var writer = CanLogWriter.Create(partial + format))
        {
            for (var i = 0; i < frames; i++)
            {
                writer.Write(ring[i % ring.Length] with { Timestamp = Start + (i * Step) });
            }
        }

        File.Move(partial + format, path, overwrite: true);
        return path;
    }

    /// <summary>Where the benchmark files live: <c>CANUDP_LOG_BENCH_DIR</c> or a folder in the temp directory.</summary>
    public static string Directory => Environment.GetEnvironmentVariable("CANUDP_LOG_BENCH_DIR") is { Length: > 0 } dir
        ? dir
        : Path.Combine(Path.GetTempPath(), "canudp-log-bench");
}
