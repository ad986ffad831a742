using System.Globalization;

namespace CanUdpMulticast.Dbc;

/// <summary>An attribute value as written in the file: a number or a string.</summary>
public readonly record struct DbcAttributeValue
{
    /// <summary>Creates a numeric value.</summary>
    /// <param name="number">The number.</param>
    public DbcAttributeValue(double number) => Number = number;

    /// <summary>Creates a string value.</summary>
    /// <param name="text">The string (without quotes).</param>
    public DbcAttributeValue(string text) => Text = text;

    /// <summary>The string, when the value was written as a string; otherwise <see langword="null"/>.</summary>
    public string? Text { get; }

    /// <summary>The number, when the value was written as a number; otherwise 0.</summary>
    public double Number { get; }

    /// <summary>Whether the value was written as a string.</summary>
    public bool IsText => Text is not null;

    /// <summary>The value as DBC text: quoted for strings, invariant culture for numbers.</summary>
    /// <returns>The DBC literal.</returns>
    public override string ToString() =>
        Text is null ? DbcFormat.Number(Number) : DbcFormat.Quote(Text);

    /// <summary>The value as a number: the number itself, or a string parsed as a number (0 when it is not one).</summary>
    /// <returns>The numeric value.</returns>
    public double ToDouble() =>
        Text is null ? Number : double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
}
