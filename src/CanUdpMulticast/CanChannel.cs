using System.Globalization;

namespace CanUdpMulticast;

/// <summary>
/// The channel a frame belongs to: nothing, a name (<c>"vcan0"</c>) or a number (<c>0</c>).
/// python-can allows both strings and integers and keeps them apart on the wire, so this type does too.
/// </summary>
/// <remarks>Strings and integers convert implicitly, so <c>Channel = "can0"</c> and <c>Channel = 1</c> both work.
/// A name and a number never compare equal (<c>"0"</c> is not <c>0</c>), as in python-can.</remarks>
public readonly struct CanChannel : IEquatable<CanChannel>
{
    private readonly string? _name;
    private readonly long _number;
    private readonly bool _isNumber;

    /// <summary>Creates a named channel; <see langword="null"/> gives <see cref="None"/>.</summary>
    /// <param name="name">The channel name, or <see langword="null"/>.</param>
    public CanChannel(string? name)
    {
        _name = name;
        _number = 0;
        _isNumber = false;
    }

    /// <summary>Creates a numbered channel.</summary>
    /// <param name="number">The channel number.</param>
    public CanChannel(long number)
    {
        _name = null;
        _number = number;
        _isNumber = true;
    }

    /// <summary>No channel (python-can's <c>None</c>).</summary>
    public static CanChannel None => default;

    /// <summary>Whether no channel is set.</summary>
    public bool IsNone => !_isNumber && _name is null;

    /// <summary>Whether the channel is a number.</summary>
    public bool IsNumber => _isNumber;

    /// <summary>Whether the channel is a name.</summary>
    public bool IsName => _name is not null;

    /// <summary>The channel name, or <see langword="null"/> when the channel is a number or none.</summary>
    public string? Name => _name;

    /// <summary>The channel number.</summary>
    /// <exception cref="InvalidOperationException">The channel is not a number.</exception>
    public long Number => _isNumber ? _number : throw new InvalidOperationException("The channel is not a number.");

    /// <summary>Converts a name to a channel.</summary>
    /// <param name="name">The channel name, or <see langword="null"/>.</param>
    public static implicit operator CanChannel(string? name) => new(name);

    /// <summary>Converts a number to a channel.</summary>
    /// <param name="number">The channel number.</param>
    public static implicit operator CanChannel(long number) => new(number);

    /// <summary>Creates a channel from a name (same as the implicit conversion).</summary>
    /// <param name="name">The channel name, or <see langword="null"/>.</param>
    /// <returns>The channel.</returns>
    public static CanChannel FromString(string? name) => new(name);

    /// <summary>Creates a channel from a number (same as the implicit conversion).</summary>
    /// <param name="number">The channel number.</param>
    /// <returns>The channel.</returns>
    public static CanChannel FromInt64(long number) => new(number);

    /// <inheritdoc/>
    public bool Equals(CanChannel other) =>
        _isNumber == other._isNumber && _number == other._number && string.Equals(_name, other._name, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CanChannel other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _isNumber ? _number.GetHashCode() : (_name is null ? 0 : StringComparer.Ordinal.GetHashCode(_name));

    /// <summary>Compares two channels.</summary>
    /// <param name="left">The first channel.</param>
    /// <param name="right">The second channel.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(CanChannel left, CanChannel right) => left.Equals(right);

    /// <summary>Compares two channels.</summary>
    /// <param name="left">The first channel.</param>
    /// <param name="right">The second channel.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(CanChannel left, CanChannel right) => !left.Equals(right);

    /// <summary>The name, the number in decimal, or an empty string for none.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => _isNumber ? _number.ToString(CultureInfo.InvariantCulture) : _name ?? string.Empty;
}
