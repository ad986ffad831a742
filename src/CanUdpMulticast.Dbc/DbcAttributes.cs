namespace CanUdpMulticast.Dbc;

/// <summary>
/// The attribute values of one object (network, node, message or signal): the ones the file sets (<c>BA_</c>), with
/// the definitions' defaults (<c>BA_DEF_DEF_</c>) for the rest.
/// </summary>
public sealed class DbcAttributes
{
    private readonly Dictionary<string, DbcAttributeValue> _values = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, DbcAttributeDefinition> _definitions = new Dictionary<string, DbcAttributeDefinition>();

    internal DbcAttributes()
    {
    }

    /// <summary>The values the file sets explicitly (<c>BA_</c>), by attribute name.</summary>
    public IReadOnlyDictionary<string, DbcAttributeValue> Explicit => _values;

    /// <summary>The value of an attribute: the explicit one, else the definition's default.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when the attribute is set or has a default.</returns>
    public bool TryGetValue(string name, out DbcAttributeValue value)
    {
        if (_values.TryGetValue(name, out value))
        {
            return true;
        }

        if (_definitions.TryGetValue(name, out var definition) && definition.Default is { } d)
        {
            value = d;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The value of an attribute as text (an <c>ENUM</c> index becomes its name), or <see langword="null"/>.</summary>
    /// <param name="name">The attribute name.</param>
    /// <returns>The text, or <see langword="null"/> when the attribute is neither set nor defaulted.</returns>
    public string? GetText(string name)
    {
        if (!TryGetValue(name, out var value))
        {
            return null;
        }

        return _definitions.TryGetValue(name, out var definition) ? definition.ToText(value) : value.Text ?? DbcFormat.Number(value.Number);
    }

    /// <summary>The value of an attribute as a number, or <see langword="null"/>.</summary>
    /// <param name="name">The attribute name.</param>
    /// <returns>The number, or <see langword="null"/> when the attribute is neither set nor defaulted.</returns>
    public double? GetNumber(string name) => TryGetValue(name, out var value) ? value.ToDouble() : null;

    internal void Set(string name, DbcAttributeValue value) => _values[name] = value;

    internal void Bind(IReadOnlyDictionary<string, DbcAttributeDefinition> definitions) => _definitions = definitions;
}
