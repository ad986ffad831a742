namespace CanUdpMulticast.Dbc;

/// <summary>An attribute definition (<c>BA_DEF_</c>) with its default (<c>BA_DEF_DEF_</c>).</summary>
public sealed class DbcAttributeDefinition
{
    internal DbcAttributeDefinition(
        string name, DbcAttributeObjectType objectType, DbcAttributeValueType valueType, double minimum, double maximum,
        IReadOnlyList<string> enumValues)
    {
        Name = name;
        ObjectType = objectType;
        ValueType = valueType;
        Minimum = minimum;
        Maximum = maximum;
        EnumValues = enumValues;
    }

    /// <summary>The attribute name, e.g. <c>GenMsgCycleTime</c>.</summary>
    public string Name { get; }

    /// <summary>The kind of object the attribute applies to.</summary>
    public DbcAttributeObjectType ObjectType { get; }

    /// <summary>The value type.</summary>
    public DbcAttributeValueType ValueType { get; }

    /// <summary>The minimum of an <c>INT</c>, <c>HEX</c> or <c>FLOAT</c> attribute; 0 otherwise.</summary>
    public double Minimum { get; }

    /// <summary>The maximum of an <c>INT</c>, <c>HEX</c> or <c>FLOAT</c> attribute; 0 otherwise.</summary>
    public double Maximum { get; }

    /// <summary>The names of an <c>ENUM</c> attribute; empty otherwise.</summary>
    public IReadOnlyList<string> EnumValues { get; }

    /// <summary>The default value (<c>BA_DEF_DEF_</c>), if the file gives one.</summary>
    public DbcAttributeValue? Default { get; internal set; }

    /// <summary>
    /// The text of a value of this attribute: for an <c>ENUM</c>, the name a numeric index selects (a string value is
    /// taken as the name itself); otherwise the string or the number as text.
    /// </summary>
    /// <param name="value">A value of this attribute.</param>
    /// <returns>The text.</returns>
    public string ToText(DbcAttributeValue value)
    {
        if (value.Text is not null)
        {
            return value.Text;
        }

        if (ValueType == DbcAttributeValueType.Enum)
        {
            var index = (int)value.Number;
            return index >= 0 && index < EnumValues.Count ? EnumValues[index] : DbcFormat.Number(value.Number);
        }

        return DbcFormat.Number(value.Number);
    }
}
