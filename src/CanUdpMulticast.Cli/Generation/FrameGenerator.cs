namespace CanUdpMulticast.Cli.Generation;

/// <summary>
/// Generates frames like can-utils' cangen: ids, lengths and data each random, incrementing or fixed. Increments
/// start at 0; incrementing data is a 64-bit little-endian counter (bytes past 8 stay 0); FD lengths step through
/// the valid CAN FD lengths. Not thread-safe.
/// </summary>
internal sealed class FrameGenerator
{
    private static readonly int[] FdLengths = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64];
    private readonly GeneratorSettings _settings;
    private readonly Random _random;
    private readonly byte[] _data = new byte[CanDlc.MaxFdLength];
    private uint _nextId;
    private int _nextLengthIndex;
    private ulong _counter;

    public FrameGenerator(GeneratorSettings settings, Random random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }

        _settings = settings;
        _random = random;
    }

    /// <summary>The next frame (timestamp 0, no channel).</summary>
    /// <returns>The frame.</returns>
    public CanMessage Next()
    {
        var s = _settings;
        var id = s.IdMode switch
        {
            GeneratorMode.Fixed => s.FixedId,
            GeneratorMode.Increment => NextId(),
            _ => (uint)_random.NextInt64(0, (long)s.MaxId + 1),
        };
        var length = s.LengthMode switch
        {
            GeneratorMode.Fixed => s.FixedLength,
            GeneratorMode.Increment => NextLength(),
            _ => s.Fd ? FdLengths[_random.Next(FdLengths.Length)] : _random.Next(CanDlc.MaxClassicLength + 1),
        };
        if (s.Remote)
        {
            return new CanMessage { ArbitrationId = id, IsExtendedId = s.Extended, IsRemoteFrame = true, Dlc = length };
        }

        var data = _data.AsSpan(0, length);
        switch (s.DataMode)
        {
            case GeneratorMode.Fixed:
                data.Clear();
                s.FixedData.AsSpan(0, Math.Min(length, s.FixedData.Length)).CopyTo(data);
                break;
            case GeneratorMode.Increment:
                data.Clear();
                for (var i = 0; i < Math.Min(length, 8); i++)
                {
                    data[i] = (byte)(_counter >> (8 * i));
                }

                _counter++;
                break;
            default:
                _random.NextBytes(data);
                break;
        }

        return new CanMessage(id, data, s.Extended) { IsFd = s.Fd, BitrateSwitch = s.BitrateSwitch };
    }

    private uint NextId()
    {
        var id = _nextId;
        _nextId = id >= _settings.MaxId ? 0 : id + 1;
        return id;
    }

    private int NextLength()
    {
        var count = _settings.Fd ? FdLengths.Length : CanDlc.MaxClassicLength + 1;
        var length = _settings.Fd ? FdLengths[_nextLengthIndex] : _nextLengthIndex;
        _nextLengthIndex = (_nextLengthIndex + 1) % count;
        return length;
    }
}
