namespace CanUdpMulticast.Cli.Generation;

/// <summary>How <c>gen</c> chooses a frame's id, length or data (cangen's <c>-I</c>, <c>-L</c>, <c>-D</c> modes).</summary>
internal enum GeneratorMode
{
    /// <summary>A random value per frame.</summary>
    Random,

    /// <summary>Counts up per frame, wrapping around.</summary>
    Increment,

    /// <summary>One given value.</summary>
    Fixed,
}
