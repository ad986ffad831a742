using System.Collections.Frozen;
using System.Text;

namespace CanUdpMulticast.Dbc;

/// <summary>
/// A CAN database read from a DBC file: nodes, messages and signals, value tables, attributes and comments. Decodes
/// frames into signal values and encodes signal values into frames.
/// </summary>
/// <example>
/// <code>
/// var db = DbcDatabase.Load("vehicle.dbc");
/// var frame = db.Encode("EngineData", new Dictionary&lt;string, double&gt; { ["EngineSpeed"] = 1200 });
/// var decoded = db.Decode(frame);                       // null for an id the database does not know
/// Console.WriteLine(decoded!["EngineSpeed"].Value);     // 1200
/// </code>
/// </example>
public sealed class DbcDatabase
{
    private readonly FrozenDictionary<uint, DbcMessage> _byKey;
    private readonly FrozenDictionary<string, DbcMessage> _byName;
    private readonly Dictionary<string, DbcAttributeDefinition> _definitionsByName;

    internal DbcDatabase(
        string version, List<DbcNode> nodes, List<DbcMessage> messages, DbcMessage? independent,
        List<KeyValuePair<string, IReadOnlyDictionary<long, string>>> valueTables, List<DbcAttributeDefinition> definitions,
        DbcAttributes networkAttributes, string? comment, List<DbcWarning> warnings, string? fileName)
    {
        Version = version;
        Nodes = nodes;
        Messages = messages;
        IndependentSignalMessage = independent;
        ValueTables = valueTables;
        AttributeDefinitions = definitions;
        Attributes = networkAttributes;
        Comment = comment;
        Warnings = warnings;
        FileName = fileName;
        _definitionsByName = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
        Attributes.Bind(_definitionsByName);
        foreach (var node in nodes)
        {
            node.Attributes.Bind(_definitionsByName);
        }

        var byKey = new Dictionary<uint, DbcMessage>();
        var byName = new Dictionary<string, DbcMessage>(StringComparer.Ordinal);
        foreach (var message in independent is null ? messages : [.. messages, independent])
        {
            message.Attributes.Bind(_definitionsByName);
            message.ResolveFrameFormat();
            foreach (var signal in message.Signals)
            {
                signal.Attributes.Bind(_definitionsByName);
                signal.Resolve();
            }
        }

        foreach (var message in messages)
        {
            // VFrameFormat can make a message extended even without bit 31 of the DBC id.
            if (message.Attributes.GetText("VFrameFormat")?.StartsWith("Extended", StringComparison.Ordinal) == true)
            {
                message.IsExtendedId = true;
            }

            byKey.TryAdd(Key(message.Id, message.IsExtendedId), message);
            byName.TryAdd(message.Name, message);
        }

        _byKey = byKey.ToFrozenDictionary();
        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The file the database was loaded from, or <see langword="null"/> when parsed from text.</summary>
    public string? FileName { get; }

    /// <summary>The <c>VERSION</c> string.</summary>
    public string Version { get; }

    /// <summary>The nodes (<c>BU_</c>).</summary>
    public IReadOnlyList<DbcNode> Nodes { get; }

    /// <summary>The messages (<c>BO_</c>) in file order, without <c>VECTOR__INDEPENDENT_SIG_MSG</c>.</summary>
    public IReadOnlyList<DbcMessage> Messages { get; }

    /// <summary>
    /// The pseudo message <c>VECTOR__INDEPENDENT_SIG_MSG</c> that holds signals not assigned to any message, or
    /// <see langword="null"/>. It is never decoded or encoded.
    /// </summary>
    public DbcMessage? IndependentSignalMessage { get; }

    /// <summary>The value tables (<c>VAL_TABLE_</c>) in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyDictionary<long, string>>> ValueTables { get; }

    /// <summary>The attribute definitions (<c>BA_DEF_</c>, with their <c>BA_DEF_DEF_</c> defaults).</summary>
    public IReadOnlyList<DbcAttributeDefinition> AttributeDefinitions { get; }

    /// <summary>The network's attributes (<c>BA_</c> without an object), e.g. <c>BusType</c>.</summary>
    public DbcAttributes Attributes { get; }

    /// <summary>The network comment (<c>CM_ "..."</c>), if any.</summary>
    public string? Comment { get; }

    /// <summary>The <c>BusType</c> attribute (e.g. <c>CAN</c>, <c>CAN FD</c>), or <see langword="null"/>.</summary>
    public string? BusType => Attributes.GetText("BusType");

    /// <summary>What the parser skipped or did not understand, with line numbers.</summary>
    public IReadOnlyList<DbcWarning> Warnings { get; }

    /// <summary>Reads a DBC file (UTF-8 when the bytes are valid UTF-8, else Windows-1252 as Vector tools write).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The database.</returns>
    /// <exception cref="DbcParseException">The file has an error the parser cannot skip.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DbcDatabase Load(string path) => Parse(DbcText.Decode(File.ReadAllBytes(path)), path);

    /// <summary>Reads a DBC file from a stream (UTF-8 or Windows-1252).</summary>
    /// <param name="stream">The stream, read to its end.</param>
    /// <param name="fileName">A name for error messages, or <see langword="null"/>.</param>
    /// <returns>The database.</returns>
    /// <exception cref="DbcParseException">The file has an error the parser cannot skip.</exception>
    public static DbcDatabase Load(Stream stream, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(DbcText.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)), fileName);
    }

    /// <summary>Parses DBC text.</summary>
    /// <param name="text">The DBC text.</param>
    /// <param name="fileName">A name for error messages, or <see langword="null"/>.</param>
    /// <returns>The database.</returns>
    /// <exception cref="DbcParseException">The text has an error the parser cannot skip.</exception>
    public static DbcDatabase Parse(string text, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new DbcParser(text, fileName).Parse();
    }

    /// <summary>Finds a message by id.</summary>
    /// <param name="id">The arbitration id.</param>
    /// <param name="isExtendedId">Whether it is a 29-bit id.</param>
    /// <param name="message">The message.</param>
    /// <returns><see langword="true"/> when the database defines it.</returns>
    public bool TryGetMessage(uint id, bool isExtendedId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DbcMessage? message) =>
        _byKey.TryGetValue(Key(id, isExtendedId), out message);

    /// <summary>Finds a message by name.</summary>
    /// <param name="name">The message name (ordinal).</param>
    /// <param name="message">The message.</param>
    /// <returns><see langword="true"/> when the database defines it.</returns>
    public bool TryGetMessage(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DbcMessage? message) =>
        _byName.TryGetValue(name, out message);

    /// <summary>A message by name.</summary>
    /// <param name="name">The message name.</param>
    /// <returns>The message.</returns>
    /// <exception cref="KeyNotFoundException">No message has that name.</exception>
    public DbcMessage GetMessage(string name) =>
        TryGetMessage(name, out var m) ? m : throw new KeyNotFoundException($"The database has no message {name}.");

    /// <summary>Decodes a frame: the message its id selects and the values of its present signals.</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>The decoded message, or <see langword="null"/> for an unknown id, a remote or an error frame.</returns>
    public DecodedMessage? Decode(in CanMessage frame) =>
        !frame.IsRemoteFrame && !frame.IsErrorFrame && TryGetMessage(frame.ArbitrationId, frame.IsExtendedId, out var m) ? m.Decode(frame) : null;

    /// <summary>
    /// Decodes a frame into caller-provided storage without allocating (see <see cref="DbcMessage.Decode(ReadOnlySpan{byte}, Span{DecodedSignal})"/>).
    /// </summary>
    /// <param name="frame">The frame.</param>
    /// <param name="values">Storage for at least as many values as the message has signals.</param>
    /// <param name="message">The message the id selects.</param>
    /// <param name="present">How many signals are present.</param>
    /// <returns><see langword="false"/> for an unknown id, a remote or an error frame.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is too short for the message.</exception>
    public bool TryDecode(in CanMessage frame, Span<DecodedSignal> values, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DbcMessage? message, out int present)
    {
        if (frame.IsRemoteFrame || frame.IsErrorFrame || !TryGetMessage(frame.ArbitrationId, frame.IsExtendedId, out message))
        {
            message = null;
            present = 0;
            return false;
        }

        present = message.Decode(frame.Data, values);
        return true;
    }

    /// <summary>Encodes a message by name; signals not given take their start value, else raw 0.</summary>
    /// <param name="messageName">The message name.</param>
    /// <param name="values">Signal name to physical value.</param>
    /// <returns>A valid frame.</returns>
    /// <exception cref="KeyNotFoundException">No message has that name.</exception>
    /// <exception cref="DbcEncodingException">A value is not valid for its signal (the message names the signal).</exception>
    public CanMessage Encode(string messageName, IEnumerable<KeyValuePair<string, double>> values) => GetMessage(messageName).Encode(values);

    /// <summary>Encodes a message by id; signals not given take their start value, else raw 0.</summary>
    /// <param name="id">The arbitration id.</param>
    /// <param name="isExtendedId">Whether it is a 29-bit id.</param>
    /// <param name="values">Signal name to physical value.</param>
    /// <returns>A valid frame.</returns>
    /// <exception cref="KeyNotFoundException">No message has that id.</exception>
    /// <exception cref="DbcEncodingException">A value is not valid for its signal (the message names the signal).</exception>
    public CanMessage Encode(uint id, bool isExtendedId, IEnumerable<KeyValuePair<string, double>> values) =>
        TryGetMessage(id, isExtendedId, out var m) ? m.Encode(values) : throw new KeyNotFoundException($"The database has no message with id 0x{id:X}.");

    /// <summary>Writes the database as DBC text.</summary>
    /// <returns>The DBC text; parsing it gives an equal database.</returns>
    public string ToDbcString() => DbcWriter.Write(this);

    /// <summary>Writes the database to a DBC file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="encoding">The encoding; <see langword="null"/> for Windows-1252 (what Vector tools expect).</param>
    public void Save(string path, Encoding? encoding = null) => File.WriteAllText(path, ToDbcString(), encoding ?? DbcText.Windows1252);

    /// <summary>The file name (or <c>dbc</c>) and the number of messages.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Path.GetFileName(FileName) ?? "dbc"} ({Messages.Count} messages)";

    internal DbcAttributeDefinition? FindDefinition(string name) => _definitionsByName.GetValueOrDefault(name);

    private static uint Key(uint id, bool extended) => extended ? id | 0x8000_0000u : id;
}
