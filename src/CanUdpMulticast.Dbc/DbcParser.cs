namespace CanUdpMulticast.Dbc;

/// <summary>
/// Turns DBC text into a <see cref="DbcDatabase"/>. Statements it does not know, or that refer to objects that do not
/// exist, are skipped with a <see cref="DbcWarning"/>; errors in the structure of messages and signals throw
/// <see cref="DbcParseException"/> with file, line and column.
/// </summary>
internal sealed partial class DbcParser
{
    /// <summary>The pseudo message Vector tools put signals that belong to no message in.</summary>
    internal const string IndependentSignalsMessage = "VECTOR__INDEPENDENT_SIG_MSG";

    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "EV_", "ENVVAR_DATA_", "SGTYPE_", "SGTYPE_VAL_", "BA_DEF_SGTYPE_", "BA_SGTYPE_", "SIG_TYPE_REF_", "BA_DEF_REL_",
        "BA_REL_", "BA_DEF_DEF_REL_", "CAT_DEF_", "CAT_", "FILTER", "SIGTYPE_VALTYPE_", "BU_SG_REL_", "BU_EV_REL_",
        "BU_BO_REL_", "SG_MUL_VAL_RANGE_", "EV_DATA_", "ENVVAR_DATA",
    };

    private readonly DbcLexer _lx;
    private readonly string? _fileName;
    private readonly List<DbcWarning> _warnings = [];
    private readonly List<DbcNode> _nodes = [];
    private readonly List<DbcMessage> _messages = [];
    private readonly Dictionary<uint, DbcMessage> _byDbcId = [];
    private readonly Dictionary<DbcMessage, int> _messageLines = [];
    private readonly List<KeyValuePair<string, IReadOnlyDictionary<long, string>>> _valueTables = [];
    private readonly List<DbcAttributeDefinition> _definitions = [];
    private readonly DbcAttributes _networkAttributes = new();
    private string _version = string.Empty;
    private string? _comment;
    private DbcMessage? _current;

    public DbcParser(string text, string? fileName)
    {
        _lx = new DbcLexer(text, fileName);
        _fileName = fileName;
    }

    public DbcDatabase Parse()
    {
        while (true)
        {
            _lx.SkipWhitespace();
            if (_lx.AtEnd)
            {
                break;
            }

            var line = _lx.Line;
            var keyword = _lx.ReadWord();
            if (keyword != "SG_")
            {
                _current = null;
            }

            switch (keyword)
            {
                case "VERSION": _version = _lx.ReadString(); break;
                case "NS_": SkipNewSymbols(); break;
                case "BS_": _lx.SkipLine(); break;
                case "BU_": ParseNodes(); break;
                case "BO_": ParseMessage(line); break;
                case "SG_": ParseSignal(line); break;
                case "BO_TX_BU_": ParseTransmitters(line); break;
                case "CM_": ParseComment(line); break;
                case "BA_DEF_": ParseAttributeDefinition(); break;
                case "BA_DEF_DEF_": ParseAttributeDefault(line); break;
                case "BA_": ParseAttributeValue(line); break;
                case "VAL_TABLE_": ParseValueTable(); break;
                case "VAL_": ParseChoices(line); break;
                case "SIG_VALTYPE_": ParseValueType(line); break;
                case "SIG_GROUP_": ParseSignalGroup(line); break;
                case "SG_MUL_VAL_": ParseExtendedMultiplexing(line); break;
                default:
                    if (Unsupported.Contains(keyword))
                    {
                        Warn(line, $"{keyword} statement not supported; skipped");
                        _lx.SkipStatement();
                    }
                    else
                    {
                        Warn(line, $"not understood ('{Shorten(keyword)}'); line skipped");
                        _lx.SkipLine();
                    }

                    break;
            }
        }

        ResolveMultiplexing();
        var independent = _messages.Find(m => m.Name == IndependentSignalsMessage);
        foreach (var m in _messages)
        {
            m.Seal(_warnings, _messageLines[m]);
        }

        return new DbcDatabase(
            _version, _nodes, [.. _messages.Where(m => m != independent)], independent, _valueTables, _definitions,
            _networkAttributes, _comment, _warnings, _fileName);
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";

    private void Warn(int line, string message) => _warnings.Add(new DbcWarning(line, message));

    private void SkipNewSymbols()
    {
        // NS_ : followed by an indented list of symbol names, one per line.
        _lx.SkipLine();
        while (_lx.NextLineIndented())
        {
            _lx.SkipToNextLine();
            _lx.SkipLine();
        }
    }

    private void ParseNodes()
    {
        _lx.Expect(':');
        while (_lx.TryReadWordOnLine() is { } name)
        {
            _nodes.Add(new DbcNode(name));
        }
    }

    private void ParseMessage(int line)
    {
        var column = _lx.Column;
        var dbcId = _lx.ReadUnsigned();
        if (dbcId > uint.MaxValue)
        {
            throw _lx.ErrorAt($"message id {dbcId} does not fit 32 bits", line, column);
        }

        var name = _lx.ReadWord();
        _lx.Expect(':');
        var length = _lx.ReadInt32(0, CanDlc.MaxFdLength, "message length");
        var sender = _lx.TryReadWordOnLine() ?? "Vector__XXX";
        var extended = (dbcId & 0x8000_0000) != 0;
        var id = (uint)dbcId & 0x7FFF_FFFF;
        if (name != IndependentSignalsMessage && id > (extended ? 0x1FFF_FFFFu : 0x7FFu))
        {
            throw _lx.ErrorAt($"message {name}: id 0x{id:X} does not fit a {(extended ? "29" : "11")}-bit id", line, column);
        }

        var message = new DbcMessage(id, extended, name, length, sender);
        if (!_byDbcId.TryAdd((uint)dbcId, message))
        {
            Warn(line, $"message {name}: id {dbcId} is already used by {_byDbcId[(uint)dbcId].Name}; the first is kept for decoding");
        }

        _messages.Add(message);
        _messageLines[message] = line;
        _current = message;
    }

    private void ParseSignal(int line)
    {
        var message = _current ?? throw _lx.ErrorAt("signal (SG_) outside a message (BO_)", line, 1);
        var name = _lx.ReadWord();
        var isMultiplexer = false;
        ulong? muxValue = null;
        if (_lx.Peek() != ':')
        {
            var mcol = _lx.Column;
            var mux = _lx.ReadWord();
            if (mux == "M")
            {
                isMultiplexer = true;
            }
            else if (mux.Length > 1 && mux[0] == 'm')
            {
                var digits = mux.EndsWith('M') ? mux[1..^1] : mux[1..];
                isMultiplexer = mux.EndsWith('M');
                if (!ulong.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v))
                {
                    throw _lx.ErrorAt($"signal {name}: bad multiplexer indicator '{mux}'", line, mcol);
                }

                muxValue = v;
            }
            else
            {
                throw _lx.ErrorAt($"signal {name}: bad multiplexer indicator '{mux}'", line, mcol);
            }
        }

        _lx.Expect(':');
        _lx.SkipSpaces();
        var startLine = _lx.Line;
        var startColumn = _lx.Column;
        var start = _lx.ReadInt32(0, (CanDlc.MaxFdLength * 8) - 1, $"signal {name}: start bit");
        _lx.Expect('|');
        var length = _lx.ReadInt32(1, 64, $"signal {name}: length");
        _lx.Expect('@');
        _lx.SkipSpaces();
        var orderColumn = _lx.Column;
        var orderChar = _lx.Peek();
        var byteOrder = orderChar switch
        {
            '1' => DbcByteOrder.LittleEndian,
            '0' => DbcByteOrder.BigEndian,
            _ => throw _lx.ErrorAt($"signal {name}: unknown byte order '{orderChar}' (expected @0 or @1)", _lx.Line, orderColumn),
        };
        _lx.Expect(orderChar);
        var signChar = _lx.Peek();
        if (signChar is not ('+' or '-'))
        {
            throw _lx.Error($"signal {name}: expected '+' (unsigned) or '-' (signed) but found '{signChar}'");
        }

        _lx.Expect(signChar);
        _lx.Expect('(');
        var factor = _lx.ReadNumber();
        _lx.Expect(',');
        var offset = _lx.ReadNumber();
        _lx.Expect(')');
        _lx.Expect('[');
        var min = _lx.ReadNumber();
        _lx.Expect('|');
        var max = _lx.ReadNumber();
        _lx.Expect(']');
        var unit = _lx.ReadString();
        var receivers = new List<string>();
        while (!_lx.AtLineEnd)
        {
            if (_lx.Peek() == ',')
            {
                _lx.Expect(',');
                continue;
            }

            receivers.Add(_lx.ReadWord());
        }

        if (factor == 0)
        {
            throw _lx.ErrorAt($"signal {name}: factor 0 (physical values could not be encoded)", startLine, startColumn);
        }

        var signal = new DbcSignal(name, start, length, byteOrder, signChar == '-', factor, offset, min, max, unit, receivers, message.Length)
        {
            IsMultiplexer = isMultiplexer,
            LineMultiplexValue = muxValue,
        };
        if (message.Name != IndependentSignalsMessage && signal.Layout.RequiredBytes > message.Length)
        {
            throw _lx.ErrorAt(
                $"signal {name} ({start}|{length}@{(byteOrder == DbcByteOrder.LittleEndian ? 1 : 0)}) lies outside its {message.Length}-byte message {message.Name}",
                startLine, startColumn);
        }

        if (message.SignalList.Exists(s => s.Name == name))
        {
            throw _lx.ErrorAt($"message {message.Name}: signal {name} defined twice", line, 1);
        }

        message.SignalList.Add(signal);
    }

    private DbcMessage? ReadMessageRef(int line, string statement)
    {
        var dbcId = _lx.ReadUnsigned();
        if (dbcId <= uint.MaxValue && _byDbcId.TryGetValue((uint)dbcId, out var message))
        {
            return message;
        }

        Warn(line, $"{statement} refers to unknown message id {dbcId}; skipped");
        return null;
    }

    private DbcSignal? FindSignal(DbcMessage? message, string name, int line, string statement)
    {
        if (message is null)
        {
            return null;
        }

        var signal = message.SignalList.Find(s => s.Name == name);
        if (signal is null)
        {
            Warn(line, $"{statement} refers to unknown signal {message.Name}.{name}; skipped");
        }

        return signal;
    }

    /// <summary>Names separated by commas or white space, across lines, up to and including the closing ';'.</summary>
    private List<string> ReadNameListToSemicolon()
    {
        var names = new List<string>();
        while (_lx.PeekAcrossLines() is not (';' or '\0'))
        {
            if (!_lx.TryConsume(','))
            {
                names.Add(_lx.ReadWord());
            }
        }

        _lx.Expect(';');
        return names;
    }

    private void ParseTransmitters(int line)
    {
        var message = ReadMessageRef(line, "BO_TX_BU_");
        _lx.Expect(':');
        var names = ReadNameListToSemicolon();
        if (message is not null)
        {
            message.Transmitters = names;
        }
    }

    private void ParseComment(int line)
    {
        if (_lx.PeekAcrossLines() == '"')
        {
            _comment = _lx.ReadString();
            _lx.Expect(';');
            return;
        }

        var kind = _lx.ReadWord();
        switch (kind)
        {
            case "BU_":
            {
                var name = _lx.ReadWord();
                var text = _lx.ReadString();
                var node = _nodes.Find(n => n.Name == name);
                if (node is null)
                {
                    Warn(line, $"CM_ BU_ refers to unknown node {name}; skipped");
                }
                else
                {
                    node.Comment = text;
                }

                break;
            }

            case "BO_":
            {
                var message = ReadMessageRef(line, "CM_ BO_");
                var text = _lx.ReadString();
                message?.Comment = text;
                break;
            }

            case "SG_":
            {
                var message = ReadMessageRef(line, "CM_ SG_");
                var signal = FindSignal(message, _lx.ReadWord(), line, "CM_ SG_");
                var text = _lx.ReadString();
                signal?.Comment = text;
                break;
            }

            default:
                Warn(line, $"CM_ {kind} comment not supported; skipped");
                _lx.SkipStatement();
                return;
        }

        _lx.Expect(';');
    }
}
