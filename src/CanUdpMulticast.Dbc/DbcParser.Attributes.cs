namespace CanUdpMulticast.Dbc;

/// <summary>The statements after the messages: attributes, value tables and choices, value types, groups, multiplexing.</summary>
internal sealed partial class DbcParser
{
    private static DbcAttributeObjectType? ObjectTypeOf(string keyword) => keyword switch
    {
        "BU_" => DbcAttributeObjectType.Node,
        "BO_" => DbcAttributeObjectType.Message,
        "SG_" => DbcAttributeObjectType.Signal,
        "EV_" => DbcAttributeObjectType.EnvironmentVariable,
        _ => null,
    };

    private void ParseAttributeDefinition()
    {
        var objectType = DbcAttributeObjectType.Network;
        if (_lx.PeekAcrossLines() != '"')
        {
            var col = _lx.Column;
            var line = _lx.Line;
            var kind = _lx.ReadWord();
            objectType = ObjectTypeOf(kind) ?? throw _lx.ErrorAt($"BA_DEF_: unknown object type {kind}", line, col);
        }

        var name = _lx.ReadString();
        var typeLine = _lx.Line;
        var typeColumn = _lx.Column;
        var typeWord = _lx.ReadWord();
        double min = 0, max = 0;
        var enumValues = new List<string>();
        DbcAttributeValueType type;
        switch (typeWord)
        {
            case "INT":
            case "HEX":
            case "FLOAT":
                type = typeWord switch { "INT" => DbcAttributeValueType.Integer, "HEX" => DbcAttributeValueType.Hex, _ => DbcAttributeValueType.Float };
                if (_lx.PeekAcrossLines() != ';')
                {
                    min = _lx.ReadNumber();
                    max = _lx.ReadNumber();
                }

                break;
            case "STRING":
                type = DbcAttributeValueType.String;
                break;
            case "ENUM":
                type = DbcAttributeValueType.Enum;
                while (_lx.PeekAcrossLines() is not (';' or '\0'))
                {
                    if (!_lx.TryConsume(','))
                    {
                        enumValues.Add(_lx.ReadString());
                    }
                }

                break;
            default:
                throw _lx.ErrorAt($"BA_DEF_ \"{name}\": unknown value type {typeWord}", typeLine, typeColumn);
        }

        _lx.Expect(';');
        _definitions.RemoveAll(d => d.Name == name);
        _definitions.Add(new DbcAttributeDefinition(name, objectType, type, min, max, enumValues));
    }

    private DbcAttributeValue ReadAttributeValue() =>
        _lx.PeekAcrossLines() == '"' ? new DbcAttributeValue(_lx.ReadString()) : new DbcAttributeValue(_lx.ReadNumber());

    private void ParseAttributeDefault(int line)
    {
        var name = _lx.ReadString();
        var value = ReadAttributeValue();
        _lx.Expect(';');
        var definition = _definitions.Find(d => d.Name == name);
        if (definition is null)
        {
            Warn(line, $"BA_DEF_DEF_ for undefined attribute {name}; skipped");
            return;
        }

        definition.Default = value;
    }

    private void ParseAttributeValue(int line)
    {
        var name = _lx.ReadString();
        DbcAttributes? target = _networkAttributes;
        if (_lx.PeekAcrossLines() != '"' && !IsNumberStart(_lx.PeekAcrossLines()))
        {
            var kind = _lx.ReadWord();
            switch (kind)
            {
                case "BU_":
                    var nodeName = _lx.ReadWord();
                    target = _nodes.Find(n => n.Name == nodeName)?.Attributes;
                    if (target is null)
                    {
                        Warn(line, $"BA_ \"{name}\" refers to unknown node {nodeName}; skipped");
                    }

                    break;
                case "BO_":
                    target = ReadMessageRef(line, $"BA_ \"{name}\"")?.Attributes;
                    break;
                case "SG_":
                    var message = ReadMessageRef(line, $"BA_ \"{name}\"");
                    target = FindSignal(message, _lx.ReadWord(), line, $"BA_ \"{name}\"")?.Attributes;
                    break;
                default:
                    Warn(line, $"BA_ \"{name}\" for {kind} not supported; skipped");
                    _lx.SkipStatement();
                    return;
            }
        }

        var value = ReadAttributeValue();
        _lx.Expect(';');
        if (target is null)
        {
            return;
        }

        if (!_definitions.Exists(d => d.Name == name))
        {
            Warn(line, $"BA_ \"{name}\": attribute not defined by a BA_DEF_; value kept");
        }

        target.Set(name, value);
    }

    private static bool IsNumberStart(char c) => char.IsAsciiDigit(c) || c is '-' or '+' or '.';

    private Dictionary<long, string> ReadValueDescriptions()
    {
        var choices = new Dictionary<long, string>();
        while (_lx.PeekAcrossLines() is not (';' or '\0'))
        {
            var key = _lx.ReadInteger();
            choices[key] = _lx.ReadString();
        }

        _lx.Expect(';');
        return choices;
    }

    private void ParseValueTable()
    {
        var name = _lx.ReadWord();
        _valueTables.Add(new(name, ReadValueDescriptions()));
    }

    private void ParseChoices(int line)
    {
        if (!char.IsAsciiDigit(_lx.PeekAcrossLines()))
        {
            Warn(line, "VAL_ for an environment variable not supported; skipped");
            _lx.SkipStatement();
            return;
        }

        var message = ReadMessageRef(line, "VAL_");
        var signal = FindSignal(message, _lx.ReadWord(), line, "VAL_");
        var choices = ReadValueDescriptions();
        signal?.Choices = choices;
    }

    private void ParseValueType(int line)
    {
        var message = ReadMessageRef(line, "SIG_VALTYPE_");
        var signal = FindSignal(message, _lx.ReadWord(), line, "SIG_VALTYPE_");
        _lx.TryConsume(':');
        _lx.SkipWhitespace();
        var typeLine = _lx.Line;
        var typeColumn = _lx.Column;
        var type = _lx.ReadInt32(0, 3, "SIG_VALTYPE_ value type");
        _lx.Expect(';');
        if (signal is null)
        {
            return;
        }

        var valueType = type switch { 1 => DbcValueType.Float32, 2 => DbcValueType.Float64, _ => DbcValueType.Integer };
        var needed = valueType switch { DbcValueType.Float32 => 32, DbcValueType.Float64 => 64, _ => signal.Length };
        if (type == 3)
        {
            Warn(typeLine, $"SIG_VALTYPE_ 3 for {signal.Name} is not defined; integer kept");
        }

        if (signal.Length != needed)
        {
            throw _lx.ErrorAt($"signal {signal.Name} is {signal.Length} bits long; a {(type == 1 ? "float" : "double")} needs {needed}", typeLine, typeColumn);
        }

        signal.ValueType = valueType;
    }

    private void ParseSignalGroup(int line)
    {
        var message = ReadMessageRef(line, "SIG_GROUP_");
        var name = _lx.ReadWord();
        var repetitions = (int)_lx.ReadInteger();
        _lx.Expect(':');
        var names = ReadNameListToSemicolon();
        foreach (var signalName in names)
        {
            FindSignal(message, signalName, line, $"SIG_GROUP_ {name}");
        }

        message?.SignalGroupList.Add(new DbcSignalGroup(name, repetitions, names));
    }

    private void ParseExtendedMultiplexing(int line)
    {
        var message = ReadMessageRef(line, "SG_MUL_VAL_");
        var signal = FindSignal(message, _lx.ReadWord(), line, "SG_MUL_VAL_");
        var switchName = _lx.ReadWord();
        var ranges = new List<DbcMultiplexRange>();
        while (_lx.PeekAcrossLines() is not (';' or '\0'))
        {
            if (_lx.TryConsume(','))
            {
                continue;
            }

            var col = _lx.Column;
            var from = _lx.ReadUnsigned();
            _lx.Expect('-');
            var to = _lx.ReadUnsigned();
            if (to < from)
            {
                throw _lx.ErrorAt($"SG_MUL_VAL_ range {from}-{to} is empty", _lx.Line, col);
            }

            ranges.Add(new DbcMultiplexRange(from, to));
        }

        _lx.Expect(';');
        if (signal is null)
        {
            return;
        }

        // Several SG_MUL_VAL_ lines for one signal and switch add up.
        signal.RangeArray = signal.HasExtendedMultiplexing && signal.ExtendedSwitchName == switchName ? [.. signal.RangeArray, .. ranges] : [.. ranges];
        signal.HasExtendedMultiplexing = true;
        signal.ExtendedSwitchName = switchName;
    }

    private void ResolveMultiplexing()
    {
        foreach (var message in _messages)
        {
            var line = _messageLines[message];
            var switches = message.SignalList.FindAll(s => s.IsMultiplexer);
            foreach (var signal in message.SignalList)
            {
                if (signal.HasExtendedMultiplexing)
                {
                    var sw = message.SignalList.Find(s => s.Name == signal.ExtendedSwitchName);
                    if (sw is null || !sw.IsMultiplexer || sw == signal)
                    {
                        Warn(line, $"SG_MUL_VAL_ for {message.Name}.{signal.Name} names {signal.ExtendedSwitchName}, which is not a multiplexer of the message; treated as not multiplexed");
                        signal.HasExtendedMultiplexing = false;
                        signal.RangeArray = [];
                        continue;
                    }

                    signal.MultiplexerSwitch = sw;
                }
                else if (signal.LineMultiplexValue is { } value)
                {
                    var candidates = switches.FindAll(s => s != signal);
                    if (candidates.Count == 0)
                    {
                        Warn(line, $"{message.Name}.{signal.Name} is multiplexed (m{value}) but the message has no multiplexer; treated as not multiplexed");
                        continue;
                    }

                    if (candidates.Count > 1)
                    {
                        Warn(line, $"{message.Name}.{signal.Name}: several multiplexers and no SG_MUL_VAL_; {candidates[0].Name} is used");
                    }

                    signal.MultiplexerSwitch = candidates[0];
                    signal.RangeArray = [new DbcMultiplexRange(value, value)];
                }
            }
        }
    }
}
