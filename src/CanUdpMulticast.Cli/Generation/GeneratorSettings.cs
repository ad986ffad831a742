namespace CanUdpMulticast.Cli.Generation;

/// <summary>What <c>gen</c> generates.</summary>
internal sealed record GeneratorSettings
{
    public GeneratorMode IdMode { get; init; } = GeneratorMode.Random;

    public uint FixedId { get; init; }

    public GeneratorMode LengthMode { get; init; } = GeneratorMode.Random;

    public int FixedLength { get; init; }

    public GeneratorMode DataMode { get; init; } = GeneratorMode.Random;

    public byte[] FixedData { get; init; } = [];

    public bool Extended { get; init; }

    public bool Fd { get; init; }

    public bool BitrateSwitch { get; init; }

    public bool Remote { get; init; }

    /// <summary>The largest id for the id format.</summary>
    public uint MaxId => Extended ? 0x1FFF_FFFFu : 0x7FFu;

    /// <summary>Checks the combination; returns what is wrong or null.</summary>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public string? Validate()
    {
        if (IdMode == GeneratorMode.Fixed && FixedId > MaxId)
        {
            return Extended ? $"the id {FixedId:X} does not fit a 29-bit extended id" : $"the id {FixedId:X} does not fit an 11-bit standard id (use --extended for larger ids)";
        }

        var maxLength = Fd ? CanDlc.MaxFdLength : CanDlc.MaxClassicLength;
        if (LengthMode == GeneratorMode.Fixed && (FixedLength > maxLength || (Fd && !CanDlc.IsValidFdLength(FixedLength))))
        {
            return Fd
                ? $"the length {FixedLength} is not a CAN FD length (0..8, 12, 16, 20, 24, 32, 48, 64)"
                : $"the length {FixedLength} is more than 8 bytes (use --fd-frames for up to 64)";
        }

        if (DataMode == GeneratorMode.Fixed && FixedData.Length > maxLength)
        {
            return $"the data has {FixedData.Length} bytes, more than a {(Fd ? "CAN FD" : "classic (use --fd-frames)")} frame carries";
        }

        if (Remote && Fd)
        {
            return "CAN FD has no remote frames";
        }

        if (BitrateSwitch && !Fd)
        {
            return "--brs needs --fd-frames";
        }

        return null;
    }
}
