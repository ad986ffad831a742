using System.Text;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Blf;
using CanUdpMulticast.IO.Sqlite;
using CanUdpMulticast.Registry;
using CanUdpMulticast.Wire;

namespace CanUdpMulticast.Fuzz;

/// <summary>Every parser of untrusted input the project has, each as a named target.</summary>
internal static class FuzzTargets
{
    /// <summary>The targets, by name.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("wire", "UDP datagram -> WireCodec.Decode (never throws; canonical and general paths agree; a decoded frame re-encodes to itself)", Wire),
        new("blf", "Vector BLF via the log format factory (.blf); rejects with BlfFormatException", data => ReadLog(".blf", data)),
        new("asc", "Vector ASC via the log format factory (.asc); rejects with CanLogFormatException", data => ReadLog(".asc", data)),
        new("trc", "PEAK TRC via the log format factory (.trc); rejects with CanLogFormatException", data => ReadLog(".trc", data)),
        new("csv", "python-can CSV via the log format factory (.csv); rejects with CanLogFormatException", data => ReadLog(".csv", data)),
        new("candump", "candump -L .log via the log format factory (.log); rejects with CanLogFormatException", data => ReadLog(".log", data)),
        new("sqlite", "rows of python-can's SQLite table (values of any SQLite type) via SqliteReader; rejects with InvalidDataException", SqliteRows.Run),
        new("ini", "a config file (INI) through BusConfigurationLoader.Load; rejects with CanInitializationException", Ini),
        new("canconfig", "CAN_CONFIG JSON through BusConfigurationLoader.Load; rejects with CanInitializationException", CanConfig),
        new("frame", "canudp send's frame syntax (FrameArgument.TryParse; false with an error text, never an exception); accepted frames print back to themselves", Frame),
    ];

    /// <summary>The target of a name.</summary>
    /// <exception cref="ArgumentException">No such target (the message lists them).</exception>
    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"No fuzz target '{name}'. Targets: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));

    private static void Wire(byte[] data)
    {
        var fast = WireCodec.Decode(data, out var message);
        if (data.Length is > 0 and <= WireCodec.MaxDatagramSize)
        {
            var general = WireCodec.DecodeWithReader(data, out var generalMessage);
            if (general != fast || (fast == MalformedDatagramReason.None && !generalMessage.Equals(message)))
            {
                throw new FuzzFinding($"The canonical decoder says {fast} ({message}), the general one {general} ({generalMessage}).");
            }
        }

        if (fast != MalformedDatagramReason.None)
        {
            return;
        }

        // The wire timestamp is not validated: python-can's receiver replaces it with the receive time before its check.
        if ((message with { Timestamp = 0 }).GetValidationError() != CanMessageError.None)
        {
            throw new FuzzFinding($"Decoded an invalid frame: {message} ({message.GetValidationError()}).");
        }

        var buffer = new byte[WireCodec.MaxDatagramSize];
        var length = WireCodec.Encode(message, buffer);
        var again = WireCodec.Decode(buffer.AsMemory(0, length), out var reread);
        if (again != MalformedDatagramReason.None || !reread.Equals(message))
        {
            throw new FuzzFinding($"Re-encoding {message} reads back as {again} ({reread}).");
        }
    }

    private static void ReadLog(string extension, byte[] data)
    {
        var format = CanLogFormatRegistry.Default.Find(extension)
            ?? throw new InvalidOperationException($"No log format for {extension}.");
        try
        {
            using var reader = format.OpenReader(new MemoryStream(data, writable: false), CanLogReaderOptions.Default, leaveOpen: false, sourceName: "fuzz" + extension);
            foreach (var message in reader)
            {
                GC.KeepAlive(message.ToString());
            }
        }
        catch (CanLogFormatException)
        {
            // The documented rejection of a text log.
        }
        catch (BlfFormatException)
        {
            // The documented rejection of a BLF file.
        }
    }

    private static void Ini(byte[] data)
    {
        var path = ScratchFile.Path("fuzz.ini");
        File.WriteAllBytes(path, data);
        Load(new BusConfigurationLoader { GetEnvironmentVariable = _ => null, ConfigFiles = [path] }, "ctx");
    }

    private static void CanConfig(byte[] data)
    {
        // Invalid UTF-8 arrives as U+FFFD, as it would from a real environment variable.
        var json = Encoding.UTF8.GetString(data);
        Load(new BusConfigurationLoader { GetEnvironmentVariable = name => name == "CAN_CONFIG" ? json : null, ConfigFiles = [] }, null);
    }

    private static void Load(BusConfigurationLoader loader, string? context)
    {
        try
        {
            var config = loader.Load(null, context);
            foreach (var option in config.Options)
            {
                GC.KeepAlive(Convert.ToString(option.Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        catch (CanInitializationException)
        {
            // The documented rejection of a config source.
        }
    }

    private static void Frame(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        if (!FrameArgument.TryParse(text, out var message, out var error))
        {
            if (string.IsNullOrWhiteSpace(error))
            {
                throw new FuzzFinding($"'{text}' was rejected without a reason.");
            }

            return;
        }

        var printed = CanFrameText.Format(message);
        if (!FrameArgument.TryParse(printed, out var reparsed, out var again) || !reparsed.IsEquivalentTo(message, timestampDelta: null))
        {
            throw new FuzzFinding($"'{text}' parsed as {message}, printed as '{printed}', which parses as {reparsed} ({again}).");
        }
    }
}
